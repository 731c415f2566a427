// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/target.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <set>

#include "base/strings.h"
#include "procfs/libjvm.h"
#include "procfs/process.h"

namespace sockscope::jvm {

namespace {

std::string pid_dir(const std::string& proc, int pid) { return proc + "/" + std::to_string(pid); }

// The last field of "NSpid:\t4242\t1": the pid in the innermost namespace.
// Kernels before 4.1 have no NSpid line; then the host pid is the best guess.
int innermost_pid(const std::optional<std::string>& nspid, int pid) {
  if (!nspid) return pid;
  size_t start = nspid->find_last_of(" \t");
  auto v = parse_u64(start == std::string::npos ? *nspid : nspid->substr(start + 1));
  return v ? static_cast<int>(*v) : pid;
}

// The second field of "Uid:\treal\teffective\tsaved\tfs".
std::optional<unsigned> effective_id(const std::optional<std::string>& line) {
  if (!line) return std::nullopt;
  size_t a = line->find_first_of(" \t");
  if (a == std::string::npos) return std::nullopt;
  a = line->find_first_not_of(" \t", a);
  size_t b = line->find_first_of(" \t", a);
  auto v = parse_u64(line->substr(a, b == std::string::npos ? std::string::npos : b - a));
  if (!v) return std::nullopt;
  return static_cast<unsigned>(*v);
}

bool env_disables_attach(const std::string& dir) {
  auto env = read_small_file(dir + "/environ");
  if (!env) return false;
  bool disabled = false;
  // Both variables are read by the launcher before the command line
  // (JDK_JAVA_OPTIONS since JDK 9), so the command line still wins.
  for (const auto& kv : split_nul(*env)) {
    for (const char* var : {"JAVA_TOOL_OPTIONS=", "JDK_JAVA_OPTIONS="}) {
      std::string_view v(var);
      if (kv.compare(0, v.size(), v) != 0) continue;
      std::vector<std::string> words;
      size_t pos = v.size();
      while (pos < kv.size()) {
        size_t sp = kv.find(' ', pos);
        words.push_back(kv.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos));
        pos = sp == std::string::npos ? kv.size() : sp + 1;
      }
      disabled = disables_attach(words, disabled);
    }
  }
  return disabled;
}

}  // namespace

std::string release_version(const std::string& text) {
  constexpr std::string_view kKey = "JAVA_VERSION=\"";
  size_t pos = 0;
  while ((pos = text.find(kKey, pos)) != std::string::npos) {
    if (pos == 0 || text[pos - 1] == '\n') {
      size_t start = pos + kKey.size();
      size_t end = text.find('"', start);
      return end == std::string::npos ? std::string() : text.substr(start, end - start);
    }
    pos += kKey.size();
  }
  return {};
}

std::optional<int> feature_version(const std::string& version) {
  std::string_view v = version;
  if (v.substr(0, 2) == "1.") v.remove_prefix(2);  // JDK 8 and older: "1.8.0_392"
  size_t end = v.find_first_not_of("0123456789");
  auto n = parse_u64(v.substr(0, end));
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

bool disables_attach(const std::vector<std::string>& words, bool current) {
  for (const auto& w : words) {
    if (w == "-XX:+DisableAttachMechanism") current = true;
    if (w == "-XX:-DisableAttachMechanism") current = false;
  }
  return current;
}

std::string main_of(const std::vector<std::string>& cmdline) {
  // Launcher options whose value is the next word (java --help, JDK 17).
  static const std::set<std::string> kWithValue = {
      "-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path",
      "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
      "--patch-module", "--enable-native-access", "--source"};
  for (size_t i = 1; i < cmdline.size(); ++i) {
    const auto& w = cmdline[i];
    if ((w == "-jar" || w == "-m" || w == "--module") && i + 1 < cmdline.size())
      return (w == "-jar" ? "-jar " : "-m ") + cmdline[i + 1];
    if (kWithValue.count(w)) {
      ++i;
      continue;
    }
    if (!w.empty() && w[0] != '-') return w;
  }
  return {};
}

Result<Target> inspect_ids(int pid, const std::string& proc) {
  std::string dir = pid_dir(proc, pid);
  auto status = read_small_file(dir + "/status");
  if (!status)
    return sys_error("no process " + std::to_string(pid), ESRCH)
        .with_hint("give a pid as seen from here (the host pid); `sockscope jvm ls` lists JVMs");
  auto field = [&](const std::string& key) { return procfs::status_value(*status, key); };
  auto state = field("State");
  if (state && (state->starts_with("Z") || state->starts_with("X")))
    return Error{"process " + std::to_string(pid) + " has exited (it is a zombie)", ESRCH,
                 "its parent has not reaped it yet; there is nothing to attach to"};
  Target t;
  t.pid = pid;
  t.nspid = innermost_pid(field("NSpid"), pid);
  auto euid = effective_id(field("Uid"));
  auto egid = effective_id(field("Gid"));
  if (!euid || !egid) return sys_error("cannot read the ids in " + dir + "/status", EACCES);
  t.euid = *euid;
  t.egid = *egid;
  t.sigquit_caught = procfs::in_sigmask(field("SigCgt").value_or(""), SIGQUIT);
  return t;
}

Result<Target> inspect(int pid, const std::string& proc) {
  auto ids = inspect_ids(pid, proc);
  if (!ids) return ids.error();
  Target t = std::move(ids.value());
  std::string dir = pid_dir(proc, pid);
  auto libjvm = procfs::mapped_libjvm(proc, pid);
  if (!libjvm)
    return libjvm.error().with_hint(::geteuid() == 0
                                        ? "even root may not read it: it is in a user namespace we have "
                                          "no privilege over, or an LSM/Yama policy forbids it"
                                        : "run as root (or with CAP_SYS_PTRACE)");
  t.libjvm = *libjvm;
  if (auto c = read_small_file(dir + "/cmdline")) t.cmdline = split_nul(*c);
  if (t.libjvm.empty()) return t;
  t.attach_disabled = disables_attach(t.cmdline, env_disables_attach(dir));
  t.java_home = procfs::java_home_of(t.libjvm);
  if (!t.java_home.empty()) {
    // JDK 8 keeps release next to jre/, one level up from java.home.
    for (const char* rel : {"/release", "/../release"})
      if (auto r = read_small_file(dir + "/root" + t.java_home + rel)) {
        t.version = release_version(*r);
        if (!t.version.empty()) break;
      }
  }
  return t;
}

}  // namespace sockscope::jvm
