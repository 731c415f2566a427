// SPDX-License-Identifier: GPL-2.0-only
// Records tracer fixtures for unit tests (tests/fixtures/tracer/README.md):
// runs PROG under the real tracer (root, BPF) and writes, into OUTDIR,
//   ring.bin      every ring buffer record of PROG's process tree, as the
//                 BPF side wrote it (events and, with --stacks, stacks)
//   journal.bin   with --stacks: the module-map journal's perf records of
//                 that process tree, as the kernel wrote them
//   features.txt  what this kernel offers the tracer (probe_features())
//   proc/PID/     status, comm, cmdline, cgroup (v2 line) and the exe link of PROG,
//                 taken while it waits after printing "done"
// Each .bin file is a sequence of (uint32 length, that many bytes).
//   record_events [--stacks] [--stack-bytes N] OUTDIR -- PROG ARGS...
//   record_events --features-only FILE   (run it without root too)
// Built only with the tests; not installed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tracer/tracer.h"

namespace {

using sockscope::Features;
using sockscope::FeatureStatus;
using Bytes = std::vector<char>;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "record_events: %s\n", what.c_str());
  std::exit(1);
}

void write_features(const Features& f, const std::string& file) {
  std::ofstream out(file);
  auto line = [&](const char* name, const FeatureStatus& s) {
    out << name << ' ' << (s.available ? "yes" : "no") << ' ' << s.reason << '\n';
  };
  line("tracepoint", f.tracepoint);
  line("raw_syscalls", f.raw_syscalls);
  line("kprobe", f.kprobe);
  line("btf", f.btf);
  line("ringbuf", f.ringbuf);
  line("raw_tracepoint", f.raw_tracepoint);
  line("task_pt_regs", f.task_pt_regs);
  if (!out) die("cannot write " + file);
}

void write_records(const std::vector<Bytes>& records, const std::string& file) {
  std::ofstream out(file, std::ios::binary);
  for (const auto& r : records) {
    auto n = static_cast<uint32_t>(r.size());
    out.write(reinterpret_cast<const char*>(&n), sizeof(n));
    out.write(r.data(), static_cast<std::streamsize>(r.size()));
  }
  if (!out) die("cannot write " + file);
}

void copy_file(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary);
  out << in.rdbuf();
}

// What lineage::ProcessTable and procfs read of one process.
void snapshot_proc(int pid, const std::string& outdir) {
  std::string from = "/proc/" + std::to_string(pid), to = outdir + "/proc/" + std::to_string(pid);
  ::mkdir((outdir + "/proc").c_str(), 0755);
  ::mkdir(to.c_str(), 0755);
  for (const char* f : {"status", "comm", "cmdline"}) copy_file(from + "/" + f, to + "/" + f);
  // Only the cgroup v2 line: what ProcessTable reads; v1 hierarchies name
  // this machine's own setup.
  std::ifstream cg(from + "/cgroup");
  std::ofstream cg_out(to + "/cgroup");
  for (std::string line; std::getline(cg, line);)
    if (line.rfind("0::", 0) == 0) cg_out << line << '\n';
  char exe[4096];
  ssize_t n = ::readlink((from + "/exe").c_str(), exe, sizeof(exe) - 1);
  if (n > 0) {
    exe[n] = 0;
    if (::symlink(exe, (to + "/exe").c_str()) < 0) die("symlink exe");
  }
}

// The process a journal record is about (first field of MMAP2, COMM, FORK, EXIT).
bool journal_pid(const Bytes& r, uint32_t& pid) {
  if (r.size() < 12) return false;
  std::memcpy(&pid, r.data() + 8, sizeof(pid));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "--features-only") {
    write_features(sockscope::tracer::probe_features(), args[1]);
    return 0;
  }
  sockscope::tracer::Options opts;
  size_t i = 0;
  for (; i < args.size() && args[i].rfind("--", 0) == 0 && args[i] != "--"; i++) {
    if (args[i] == "--stacks") opts.stacks = true;
    else if (args[i] == "--stack-bytes" && i + 1 < args.size()) opts.stack_bytes = std::stoul(args[++i]);
    else die("unknown option " + args[i]);
  }
  if (i + 2 >= args.size() || args[i + 1] != "--") die("usage: record_events [--stacks] OUTDIR -- PROG ARGS...");
  std::string outdir = args[i];
  std::vector<char*> prog;
  for (size_t k = i + 2; k < args.size(); k++) prog.push_back(argv[k + 1]);
  prog.push_back(nullptr);
  ::mkdir(outdir.c_str(), 0755);

  int go[2], in[2], out[2];
  if (::pipe(go) < 0 || ::pipe(in) < 0 || ::pipe(out) < 0) die("pipe");
  pid_t child = ::fork();
  if (child == 0) {
    char c;
    if (::read(go[0], &c, 1) != 1) _exit(1);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    for (int fd : {go[0], go[1], in[0], in[1], out[0], out[1]}) ::close(fd);
    ::execv(prog[0], prog.data());
    _exit(127);
  }
  ::close(go[0]);
  ::close(in[0]);
  ::close(out[1]);

  std::vector<Bytes> ring, journal;
  std::set<uint32_t> tree = {static_cast<uint32_t>(child)};
  opts.pid_tree = true;
  opts.pids = {child};
  if (opts.stacks) opts.on_maps = [](const sockscope::tracer::MapsRecord&) {};
  opts.on_raw = [&](sockscope::tracer::Options::RawSource src, const void* d, size_t n) {
    auto* p = static_cast<const char*>(d);
    (src == sockscope::tracer::Options::RawSource::kRing ? ring : journal).emplace_back(p, p + n);
  };
  auto tracer = sockscope::tracer::Tracer::open(opts);
  if (!tracer) {
    ::kill(child, SIGKILL);
    die(tracer.error().what + " (" + tracer.error().hint + ")");
  }
  auto note = [&](sockscope::Event& e) {
    tree.insert(e.tgid);
    if (e.child_tgid) tree.insert(e.child_tgid);
  };
  if (::write(go[1], "g", 1) != 1) die("starting the program");

  std::string said;
  while (said.find("done\n") == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      char buf[256];
      ssize_t n = ::read(out[0], buf, sizeof(buf));
      if (n <= 0) die("the program ended before saying done");
      said.append(buf, static_cast<size_t>(n));
    }
    if (!tracer->poll(50, note)) die("polling the tracer");
  }
  snapshot_proc(child, outdir);
  ::close(in[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  for (int k = 0; k < 10; k++) (void)tracer->poll(50, note);
  (void)tracer->drain(note);

  std::vector<Bytes> mine;
  for (auto& r : journal)
    if (uint32_t pid; journal_pid(r, pid) && tree.count(pid)) mine.push_back(std::move(r));
  write_records(ring, outdir + "/ring.bin");
  if (opts.stacks) write_records(mine, outdir + "/journal.bin");
  write_features(tracer->features(), outdir + "/features.txt");
  std::fprintf(stderr, "record_events: %zu ring records, %zu journal records, program exit %d\n", ring.size(),
               mine.size(), WEXITSTATUS(status));
  return 0;
}
