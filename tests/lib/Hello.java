// Test helper for tests/lib/jvm_in_netns.sh (compile: javac -d CLASSDIR Hello.java).
// Prints "ready <pid>" (its own host pid), then blocks until its STDIN is closed
// (EOF), then exits 0. Stdin rather than a stop file: if whoever holds the pipe
// dies, the pipe closes and the JVM exits too, so it can never be orphaned.
// It opens no sockets itself: a unix socket in its fd table comes from JVM init
// (HotSpot's PerfMemory calls getpwuid_r, and libnss_sss keeps its connection).
public class Hello {
    public static void main(String[] args) throws Exception {
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // discard input; only EOF matters
        }
    }
}
