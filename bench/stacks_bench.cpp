// SPDX-License-Identifier: GPL-2.0-only
// Unwind + symbolize throughput of src/symbolize on real captures, warm
// (indexes built, maps read) and cold (a new Symbolizer per stack: ELF
// files opened, symbol tables indexed, maps and vmstructs read).
//
// The captures are what the BPF side sends for a socket event (17 user
// registers, the frame-pointer chain, a 16 KiB copy of the stack from
// sp & ~4095), taken here with ptrace from live processes this benchmark
// starts and stops itself:
//   jvm:    the Java main thread of `java -cp DIR Sleeper`, parked in
//           Thread.sleep: interpreted Java frames, libjvm, libc;
//   native: `sleep 1000` (coreutils + libc).
// The JVM needs java and javac (openjdk-17-jdk-headless) and root or
// ptrace rights; a case whose process cannot be started is skipped with the
// reason. Run: build/bench/stacks_bench (docs/benchmarks.md has results).
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "symbolize/symbolizer.h"

namespace {

using sockscope::symbolize::Sample;
using sockscope::symbolize::Symbolizer;

constexpr size_t kCopyBytes = 16 * 1024;  // the BPF side's default (--stack-size)

// One capture, as src/run/stack_glue.cpp would hand it to the symbolizer.
struct Capture {
  int pid = 0, tid = 0;
  uint64_t regs[17] = {};
  uint64_t copy_base = 0;
  std::vector<uint8_t> copy;
  bool faulted = false;

  Sample sample() const {
    Sample s;
    s.pid = s.nspid = pid;
    s.tid = tid;
    s.regs = regs;
    s.copy_base = copy_base;
    s.copy = copy;
    return s;
  }
};

// Stops thread `tid` of `pid` (PTRACE_SEIZE + INTERRUPT: it is inside a
// syscall, like a task at sys_enter), reads its registers in DWARF order
// (rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip) and copies its stack the way
// bpf/lib/stack.h does, page by page until one faults. Then lets it go.
std::optional<Capture> capture(int pid, int tid) {
  if (::ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0) return std::nullopt;
  ::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
  int st = 0;
  if (::waitpid(tid, &st, __WALL) != tid) return std::nullopt;
  user_regs_struct r{};
  bool ok = ::ptrace(PTRACE_GETREGS, tid, nullptr, &r) == 0;
  Capture c;
  c.pid = pid;
  c.tid = tid;
  const uint64_t dwarf[17] = {r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
                              r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip};
  std::copy(std::begin(dwarf), std::end(dwarf), c.regs);
  c.copy_base = r.rsp & ~uint64_t{4095};
  c.copy.resize(kCopyBytes);
  size_t got = 0;
  for (; ok && got < kCopyBytes; got += 4096) {
    iovec local{c.copy.data() + got, 4096}, remote{reinterpret_cast<void*>(c.copy_base + got), 4096};
    if (::process_vm_readv(pid, &local, 1, &remote, 1, 0) != 4096) {
      c.faulted = true;
      break;
    }
  }
  c.copy.resize(got);
  ::ptrace(PTRACE_DETACH, tid, nullptr, nullptr);
  if (!ok) return std::nullopt;
  return c;
}

// A child process that this benchmark owns; killed and reaped at exit.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      if (FILE* null = std::fopen("/dev/null", "w")) ::dup2(fileno(null), 1);
      ::execvp(a[0], a.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

std::vector<int> threads_of(int pid) {
  std::vector<int> tids;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(("/proc/" + std::to_string(pid) + "/task").c_str()),
                                        ::closedir);
  if (!d) return tids;
  while (auto* e = ::readdir(d.get()))
    if (e->d_name[0] != '.') tids.push_back(std::atoi(e->d_name));
  std::sort(tids.begin(), tids.end());
  return tids;
}

bool maps_contain(int pid, const std::string& what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(in, line))
    if (line.find(what) != std::string::npos) return true;
  return false;
}

// The capture for one case, made once; nullopt + reason when impossible.
struct Case {
  std::unique_ptr<Child> child;
  std::optional<Capture> cap;
  std::string skip;
};

Case start_native() {
  Case c;
  c.child = std::make_unique<Child>(std::vector<std::string>{"sleep", "1000"});
  for (int i = 0; i < 100 && !maps_contain(c.child->pid(), "libc.so"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // into nanosleep
  c.cap = capture(c.child->pid(), c.child->pid());
  if (!c.cap) c.skip = "cannot ptrace `sleep` (needs root or ptrace rights)";
  return c;
}

// Compiles a class whose main thread sleeps in Thread.sleep.
Case start_jvm() {
  Case c;
  char dir[] = "/tmp/sockscope-stacks-bench-XXXXXX";
  if (!::mkdtemp(dir)) return Case{nullptr, std::nullopt, "mkdtemp failed"};
  std::string d = dir;
  std::ofstream(d + "/Sleeper.java")
      << "public class Sleeper { public static void main(String[] a) throws Exception {"
         " nap(); } static void nap() throws Exception { Thread.sleep(1000000); } }\n";
  std::string cmd = "javac -d " + d + " " + d + "/Sleeper.java 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) {
    std::system(("rm -rf " + d).c_str());
    return Case{nullptr, std::nullopt, "javac not found (openjdk-17-jdk-headless)"};
  }
  c.child = std::make_unique<Child>(std::vector<std::string>{"java", "-Xint", "-cp", d, "Sleeper"});
  // The Java main thread is the launcher's second thread; wait until it is
  // in Thread.sleep (the JVM is up: libjvm mapped, a dozen threads).
  for (int i = 0; i < 500 && threads_of(c.child->pid()).size() < 10; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::system(("rm -rf " + d).c_str());  // loaded: the class file is no longer needed
  auto tids = threads_of(c.child->pid());
  if (tids.size() < 2) return Case{std::move(c.child), std::nullopt, "the JVM did not start"};
  c.cap = capture(c.child->pid(), tids[1]);
  if (!c.cap) c.skip = "cannot ptrace the JVM (needs root or ptrace rights)";
  return c;
}

// Shows once what the benchmark unwinds, so that a run proves its frames
// are real (symbol and module of each).
Case& shown(Case& c, const char* name) {
  if (!c.cap) return c;
  Symbolizer sym;
  Sample s = c.cap->sample();
  sym.observe(s.pid);
  auto st = sym.symbolize(s);
  std::fprintf(stderr, "%s: %zu frames\n", name, st.frames.size());
  for (const auto& f : st.frames)
    std::fprintf(stderr, "  %s (%s)\n", f.symbol.empty() ? "?" : f.symbol.c_str(), f.module.c_str());
  return c;
}

Case& native_case() {
  static Case c = start_native();
  static Case& s = shown(c, "native");
  return s;
}

Case& jvm_case() {
  static Case c = start_jvm();
  static Case& s = shown(c, "jvm");
  return s;
}

// Warm: one Symbolizer; the first call (outside the timed loop) builds the
// indexes. Counts frames per second as items.
void warm(benchmark::State& state, Case& c) {
  if (!c.cap) return state.SkipWithError(c.skip.c_str());
  Symbolizer sym;
  Sample s = c.cap->sample();
  sym.observe(s.pid);
  size_t frames = sym.symbolize(s).frames.size();
  for (auto _ : state) benchmark::DoNotOptimize(sym.symbolize(s));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * frames));
  state.counters["frames"] = static_cast<double>(frames);
}

// Cold: a new Symbolizer per stack, as for the first stack of a process
// whose modules nobody has indexed yet (the page cache is warm).
void cold(benchmark::State& state, Case& c) {
  if (!c.cap) return state.SkipWithError(c.skip.c_str());
  Sample s = c.cap->sample();
  size_t frames = 0;
  for (auto _ : state) {
    Symbolizer sym;
    sym.observe(s.pid);
    auto st = sym.symbolize(s);
    frames = st.frames.size();
    benchmark::DoNotOptimize(st);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * frames));
  state.counters["frames"] = static_cast<double>(frames);
}

void BM_WarmNative(benchmark::State& s) { warm(s, native_case()); }
void BM_ColdNative(benchmark::State& s) { cold(s, native_case()); }
void BM_WarmJvm(benchmark::State& s) { warm(s, jvm_case()); }
void BM_ColdJvm(benchmark::State& s) { cold(s, jvm_case()); }

BENCHMARK(BM_WarmNative)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ColdNative)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WarmJvm)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ColdJvm)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
