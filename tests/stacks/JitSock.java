// SPDX-License-Identifier: GPL-2.0-only
// Test program for --stacks (tests/e2e/stacks_end_reasons.sh): opens and
// closes a unix SocketChannel N times (args[0]), so that open() and its
// callees get compiled (run with -XX:-TieredCompilation
// -XX:CompileThreshold=200 -XX:-BackgroundCompilation) and later sockets are
// made from compiled frames, which keep no frame pointer by default.
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

public class JitSock {
    static int open() throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        int h = c.hashCode();
        c.close();
        return h;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long s = 0;
        for (int i = 0; i < n; i++) s += open();
        System.out.println(s == 42 ? "" : "done");
    }
}
