// SPDX-License-Identifier: GPL-2.0-only
// Target JVM for tests/integration/jvm_attach_test.cpp and
// bench/jvm_attach_vs_jattach.sh. Prints "ready <pid>" (its pid in its own
// pid namespace), starts a thread named "sockscope-attach-worker" for the
// thread-dump test, then blocks until stdin is closed and exits 0: whoever
// holds the pipe decides its life, so it can never be orphaned.
public class AttachTarget {
    public static void main(String[] args) throws Exception {
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // exit quietly
            }
        }, "sockscope-attach-worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // discard input; only EOF matters
        }
    }
}
