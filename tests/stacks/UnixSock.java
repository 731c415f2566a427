// SPDX-License-Identifier: GPL-2.0-only
// Test program for --stacks: opens a unix SocketChannel from its own method
// (run once, so it stays interpreted), then lingers 1.5 s so that the JVM is
// alive while sockscope reads its vmstructs, then exits.
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

public class UnixSock {
    static SocketChannel openChannel() throws Exception {
        return SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    public static void main(String[] args) throws Exception {
        SocketChannel c = openChannel();
        Thread.sleep(1500);
        c.close();
    }
}
