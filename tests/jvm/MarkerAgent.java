// SPDX-License-Identifier: GPL-2.0-only
// A java agent for the `jvm load` test: when loaded into a running JVM
// (Agent-Class in the manifest, tests/jvm/agent.mf), it writes the word
// "loaded" to the file named by its options, then returns.
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;

public class MarkerAgent {
    public static void agentmain(String options, Instrumentation inst) throws Exception {
        Files.writeString(Path.of(options), "loaded");
    }

    public static void premain(String options, Instrumentation inst) throws Exception {
        agentmain(options, inst);
    }
}
