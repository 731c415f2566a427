// SPDX-License-Identifier: GPL-2.0-only
// Issue #17 item 3: the pictures, made by the real binary from real processes
// and drawn by real renderers: `ls --format svg` through Graphviz, `run
// --flamegraph` through rsvg-convert (librsvg), and the flame graph's script
// run by a headless Chromium. A missing renderer skips with its package name.
#include <gtest/gtest.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

// A comm that is XML and DOT syntax both.
const std::string kComm = "pic<&\"x]]>";

bool on_path(const std::string& tool) {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"})
    if (::access((std::string(dir) + "/" + tool).c_str(), X_OK) == 0) return true;
  return false;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Pictures : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sockscope-pictures-XXXXXX";
    ASSERT_TRUE(::mkdtemp(tmpl));
    dir_ = tmpl;
  }
  void TearDown() override { run({"rm", "-rf", dir_}); }

  // rsvg-convert draws `svg` to a PNG; a picture librsvg refuses fails the test.
  void expect_drawable(const std::string& svg) {
    auto r = run({"rsvg-convert", "-o", dir_ + "/out.png", svg});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(dir_ + "/out.png").substr(1, 3), "PNG");
  }
  std::string dir_;
};

// A listener with one accepted and one pending connection, and a socketpair,
// held by a process with a hostile comm.
void make_sockets() {
  ::prctl(PR_SET_NAME, kComm.c_str());
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string name = "sockscope-pictures-" + std::to_string(::getpid());
  std::memcpy(a.sun_path + 1, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  int l = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (::bind(l, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(l, 4) != 0) ::_exit(3);
  for (int i = 0; i < 2; ++i) {
    int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(c, reinterpret_cast<sockaddr*>(&a), len) != 0) ::_exit(4);
  }
  if (::accept(l, nullptr, nullptr) < 0) ::_exit(5);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) ::_exit(6);
}

TEST_F(Pictures, LsSvgThroughGraphvizIsDrawableAndNamesTheProcess) {
  if (!on_path("dot")) GTEST_SKIP() << "Graphviz's dot is not installed (apt-get install graphviz)";
  if (!on_path("rsvg-convert")) GTEST_SKIP() << "rsvg-convert is not installed (apt-get install librsvg2-bin)";
  Child child(make_sockets);
  auto r = sockscope({"ls", "-p", std::to_string(child.pid()), "--format", "svg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(dir_ + "/ls.svg") << r.out;
  expect_drawable(dir_ + "/ls.svg");
  std::string pid = std::to_string(child.pid());
  EXPECT_NE(r.out.find("pic&lt;&amp;&quot;x]]&gt;[" + pid + "]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@sockscope&#45;pictures&#45;" + pid), std::string::npos);  // Graphviz writes '-' so
  EXPECT_NE(r.out.find(">pending<"), std::string::npos);
  EXPECT_NE(r.out.find(">peer<"), std::string::npos);
  EXPECT_NE(r.out.find("network namespace "), std::string::npos);
}

TEST_F(Pictures, LsDotWithoutGraphvizNeedsNoneAndSvgSaysInstallIt) {
  Child child(make_sockets);
  auto r = sockscope({"ls", "-p", std::to_string(child.pid()), "--format", "dot"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("digraph sockscope {", 0), 0u);
  r = run({"env", "PATH=/nonexistent", SOCKSCOPE_BIN, "ls", "-p", std::to_string(child.pid()), "--format", "svg"});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_NE(r.err.find("sockscope: Graphviz's dot is not installed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: install graphviz"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  r = sockscope({"ls", "--json", "--format", "dot"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
}

// The cgroup v2 mount point ("" if none): /sys/fs/cgroup, or
// /sys/fs/cgroup/unified on a hybrid system.
std::string cgroup2_mount() {
  std::istringstream mounts(read_file("/proc/self/mounts"));
  for (std::string dev, dir, type, rest; mounts >> dev >> dir >> type && std::getline(mounts, rest);)
    if (type == "cgroup2") return dir;
  return "";
}

// A process in a mount namespace of its own and in a cgroup named as docker
// names a container's scope: `ls --format dot` draws it in a cluster named
// by the container's id, inside its network namespace's.
TEST_F(Pictures, LsDotGroupsAContainersProcessesUnderItsId) {
  std::string mount = cgroup2_mount();
  if (mount.empty()) GTEST_SKIP() << "no cgroup v2 hierarchy is mounted";
  std::string id;
  for (int i = 0; i < 8; ++i) id += "5ca1ab1e";
  std::string cgroup = mount + "/sockscope-test-docker-" + id + ".scope";
  ASSERT_EQ(::mkdir(cgroup.c_str(), 0755), 0) << cgroup << ": " << std::strerror(errno);
  std::string pid;
  {
    Child child([&cgroup] {
      if (::unshare(CLONE_NEWNS) != 0) ::_exit(7);
      std::ofstream(cgroup + "/cgroup.procs") << "0\n";
      make_sockets();
    });
    pid = std::to_string(child.pid());
    auto r = sockscope({"ls", "-p", pid, "--format", "dot"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    size_t label = r.out.find("label=\"container 5ca1ab1e5ca1 (mount namespace ");
    size_t node = r.out.find("p" + pid + " [");
    ASSERT_NE(label, std::string::npos) << r.out;
    ASSERT_NE(node, std::string::npos) << r.out;
    EXPECT_LT(label, node) << r.out;
    EXPECT_EQ(r.out.find('}', label), r.out.find('}', node)) << "the process is inside the container's cluster\n"
                                                             << r.out;
    EXPECT_LT(r.out.find("subgraph cluster_net_"), label) << r.out;
  }
  EXPECT_EQ(::rmdir(cgroup.c_str()), 0) << cgroup << ": " << std::strerror(errno);
}

class RunFlamegraph : public Pictures {
 protected:
  void SetUp() override {
    if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
    Pictures::SetUp();
    svg_ = dir_ + "/flame.svg";
    std::string prog = std::string(SOCKSCOPE_PROGS_DIR) + "/stack_depth";
    auto r = sockscope({"run", "--flamegraph", svg_, "--", prog, "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("flame graph of "), std::string::npos) << r.err;
    text_ = read_file(svg_);
  }
  std::string svg_, text_;
};

// stack_depth 3: main -> recurse x4 -> make_sock -> socket().
TEST_F(RunFlamegraph, DrawableAndHoldsTheProgramsFunctions) {
  if (!on_path("rsvg-convert")) GTEST_SKIP() << "rsvg-convert is not installed (apt-get install librsvg2-bin)";
  expect_drawable(svg_);
  for (const char* f :
       {"stack_depth (process;", "main (native;", "recurse (native;", "make_sock (native;", "[socket] (syscall;"})
    EXPECT_NE(text_.find("<title>" + std::string(f)), std::string::npos) << f << "\n" << text_;
}

// The document after a headless Chromium loaded `url` and ran its scripts.
CommandResult browser_dom(const std::string& dir, const std::string& url) {
  return run({"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir + "/chromium",
              "--dump-dom", url});
}

// The script, run by a browser: FILE.svg#search=REGEX highlights and counts.
TEST_F(RunFlamegraph, SearchInABrowserHighlightsAndCounts) {
  if (!on_path("chromium")) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  auto r = browser_dom(dir_, "file://" + svg_ + "#search=make_sock");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One socket, one stack: every column holds make_sock.
  EXPECT_NE(r.out.find("id=\"ss-matched\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(">Matched: 100.0%<"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fill=\"rgb(230,0,230)\""), std::string::npos);
  r = browser_dom(dir_, "file://" + svg_ + "#search=no_such_frame");
  EXPECT_NE(r.out.find(">Matched: 0.0%<"), std::string::npos) << r.out;
}

// Zooming into make_sock (as a click does, through the script's handle in a
// page that inlines the SVG): its callers dim, the rest of it is unchanged
// (one stack fills every column), Reset Zoom appears.
TEST_F(RunFlamegraph, ZoomInABrowserDimsTheCallers) {
  if (!on_path("chromium")) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  std::string page = dir_ + "/zoom.html";
  std::ofstream(page) << "<!DOCTYPE html><html><body>" << text_.substr(text_.find("<svg "))
                      << "<script>var g = Array.from(document.querySelectorAll('g.f'));"
                         "sockscopeFlame.zoom(g.findIndex(e => e.getAttribute('data-name') == 'make_sock'));"
                         "</script></body></html>";
  auto r = browser_dom(dir_, "file://" + page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("data-name=\"main\" style=\"opacity: 0.6;\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("data-name=\"make_sock\"><title>"), std::string::npos) << r.out;
  size_t reset = r.out.find("id=\"ss-reset\"");
  ASSERT_NE(reset, std::string::npos);
  EXPECT_EQ(r.out.substr(reset, r.out.find('>', reset) - reset).find("none"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sockscope::testing
