// SPDX-License-Identifier: GPL-2.0-only
// The rules over facts gathered from recorded kernels (tests/fixtures):
// topology (scripts/record_fixture.sh) and checkpoint_sssd_jvm (a JVM whose
// libnss_sss holds a stream socket to a real sssd_nss; recorded with
// `sockscope record DIR -p JVM -p SSSD_NSS` plus the JVM's cmdline, exe
// link and maps, see docs/checkpoint.md). Replays never stat objects, so only the
// socket, pipe and JVM rules have facts to judge here.
#include <gtest/gtest.h>

#include "../fixture.h"
#include "base/exit_codes.h"
#include "checkpoint/evaluate.h"
#include "collect/checkpoint_facts.h"
#include "render/checkpoint_report.h"

namespace sockscope::checkpoint {
namespace {

class Replay {
 public:
  explicit Replay(const std::string& name) : src_(testing::fixture(name)) {
    inv_ = inventory::build(src_);
    pids_ = testing::fixture_pids(name);
  }
  Facts facts(const std::vector<int>& tree) const { return collect::checkpoint_facts(inv_, src_, tree); }
  Report run(const std::vector<int>& tree, const std::string& opts = {}, bool crac = false) const {
    return evaluate(facts(tree), Settings{parse_criu_options(opts), crac});
  }
  const std::vector<int>& pids() const { return pids_; }

 private:
  inventory::ReplaySource src_;
  inventory::Inventory inv_;
  std::vector<int> pids_;
};

std::vector<const Finding*> by_rule(const Report& r, const std::string& rule) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

TEST(CheckpointSssdJvm, BlockedWithBothCriuMessagesInOrder) {
  Replay rp("checkpoint_sssd_jvm");
  int jvm = rp.pids()[0], nss = rp.pids()[1];
  Report r = rp.run({jvm});
  EXPECT_EQ(r.overall(), Verdict::kBlock);
  EXPECT_EQ(exit_code(r), kExitFindings);
  auto u1 = by_rule(r, "U1");
  ASSERT_EQ(u1.size(), 1u);
  const Finding& f = *u1[0];
  EXPECT_EQ(f.fd, 4);
  ASSERT_EQ(f.messages.size(), 2u);
  EXPECT_EQ(f.messages[0].engine, "criu");
  EXPECT_EQ(f.messages[0].text, "unix: External socket is used. Consider using --ext-unix-sk option.");
  EXPECT_EQ(f.messages[1].engine, "criu --ext-unix-sk");
  EXPECT_EQ(f.messages[1].text,
            "unix: Can't dump half of stream unix connection. name: (null); peer name: /var/lib/sss/pipes/nss");
  EXPECT_EQ(f.origin.role, "sssd NSS pipe");
  EXPECT_EQ(f.origin.peer_path, "/var/lib/sss/pipes/nss");
  ASSERT_EQ(f.origin.peer_holders.size(), 1u);
  EXPECT_EQ(f.origin.peer_holders[0].pid, nss);
  EXPECT_EQ(f.origin.peer_holders[0].comm, "sssd_nss");
  EXPECT_FALSE(f.origin.created);
  std::string ino = std::to_string(f.inode);
  EXPECT_NE(f.remedy.back().find("--external unix[" + ino + "]"), std::string::npos);
  EXPECT_NE(f.remedy.back().find("--inherit-fd fd[4]:socket:[" + ino + "]"), std::string::npos);
}

TEST(CheckpointSssdJvm, ExtUnixSkStillBlocksExternalIdPasses) {
  Replay rp("checkpoint_sssd_jvm");
  int jvm = rp.pids()[0];
  Report legacy = rp.run({jvm}, "--ext-unix-sk");
  EXPECT_EQ(legacy.criu_opts, Verdict::kBlock);
  auto ino = by_rule(legacy, "U1").at(0)->inode;
  Report ext = rp.run({jvm}, "--external unix[" + std::to_string(ino) + "]");
  EXPECT_EQ(ext.criu, Verdict::kBlock);
  EXPECT_NE(ext.criu_opts, Verdict::kBlock) << "the dump succeeds (rulebook section 7)";
  EXPECT_EQ(by_rule(ext, "U1").at(0)->criu_opts.verdict, Verdict::kWarn) << "restore needs --inherit-fd";
}

TEST(CheckpointSssdJvm, CracCheckComesFirstAndPrefixSocketAllowsIt) {
  Replay rp("checkpoint_sssd_jvm");
  int jvm = rp.pids()[0];
  Report r = rp.run({jvm}, {}, /*crac=*/true);
  ASSERT_TRUE(r.crac_applies);
  const Finding& f = *by_rule(r, "U1").at(0);
  ASSERT_TRUE(f.crac);
  EXPECT_EQ(f.crac->verdict, Verdict::kBlock);
  EXPECT_EQ(f.messages.at(0).engine, "crac");
  EXPECT_EQ(f.messages[0].text,
            "CheckpointOpenSocketException: FD fd=4 type=socket path=socket:[" + std::to_string(f.inode) + "]");
  // The seed's flag: the JVM lets the socket pass, CRIU still refuses it.
  Facts facts = rp.facts({jvm});
  EXPECT_TRUE(facts.jvm.is_jvm) << "libjvm.so is in its maps";
  EXPECT_EQ(facts.jvm.java_home, "/usr/lib/jvm/java-17-openjdk-amd64");
  facts.jvm.allowed_prefixes = {"socket:"};
  Report allowed = evaluate(facts, Settings{{}, true});
  const Finding& g = *by_rule(allowed, "U1").at(0);
  EXPECT_EQ(g.crac->verdict, Verdict::kOk);
  EXPECT_NE(g.crac->message.find("OK: allowed in -XX:CRaCAllowedOpenFilePrefixes"), std::string::npos);
  EXPECT_EQ(g.severity(), Verdict::kBlock);
  // lib/modules belongs to the JDK; stdio is inherited.
  for (const auto& j : by_rule(r, "J1")) EXPECT_NE(j->fd, 3) << j->object;
}

TEST(CheckpointSssdJvm, WithSssdInTheTreeNothingIsExternal) {
  Replay rp("checkpoint_sssd_jvm");
  Report r = rp.run(rp.pids());
  for (const auto* f : by_rule(r, "U1")) EXPECT_NE(f->pid, rp.pids()[0]) << "the JVM's peer is dumped too";
}

class CheckpointTopology : public ::testing::Test {
 protected:
  Replay rp_{"topology"};
};

// The main process alone: the connections its children made to its
// listeners have their client ends outside the tree.
TEST_F(CheckpointTopology, ChildrenOutsideTheTreeAreExternalPeers) {
  int main_pid = rp_.pids()[0], netns_child = rp_.pids()[1], peer_child = rp_.pids()[2];
  Report r = rp_.run({main_pid});
  auto u1 = by_rule(r, "U1");
  // listen.sock's and split.sock's clients; the shared socketpair has both
  // ends in the main process, so it stays internal.
  ASSERT_EQ(u1.size(), 2u);
  std::set<int> holders;
  for (const auto* f : u1)
    for (const auto& o : f->origin.peer_holders) holders.insert(o.pid);
  EXPECT_EQ(holders, (std::set<int>{netns_child, peer_child}));
  EXPECT_EQ(r.overall(), Verdict::kBlock);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) n++;
  return n;
}

// Issue 17: a process with thousands of alike findings (2,000 TCP
// connections) must not print thousands of paragraphs. The two U1 findings
// of the main process are one group: with one example, the second is one
// line naming its descriptor; with --all (examples 0), both are in full.
TEST_F(CheckpointTopology, AlikeFindingsAreGroupedInTextButNotInJson) {
  Report r = rp_.run({rp_.pids()[0]});
  auto u1 = by_rule(r, "U1");
  ASSERT_EQ(u1.size(), 2u);
  std::string grouped = render::checkpoint_text(r, {render::StackDetail::kCut, 1});
  EXPECT_EQ(count(grouped, "\n[BLOCKER] U1 "), 1u) << grouped;
  EXPECT_NE(grouped.find("... and 1 more [BLOCKER] U1 like these: fd " + std::to_string(u1[1]->fd) + " socket:[" +
                         std::to_string(u1[1]->inode) + "]"),
            std::string::npos)
      << grouped;
  EXPECT_NE(grouped.find("--all"), std::string::npos);
  std::string all = render::checkpoint_text(r, {render::StackDetail::kCut, 0});
  EXPECT_EQ(count(all, "\n[BLOCKER] U1 "), 2u) << all;
  EXPECT_EQ(all.find("... and"), std::string::npos);
  EXPECT_EQ(render::checkpoint_json(r)["findings"].size(), r.findings.size()) << "JSON keeps every finding";
}

TEST_F(CheckpointTopology, AcceptedEndCarriesTheListenerPathInTheHalfStreamText) {
  Report r = rp_.run({rp_.pids()[0]}, "--ext-unix-sk");
  std::string dir = testing::fixture_workdir("topology");
  bool found = false;
  for (const auto* f : by_rule(r, "U1"))
    found |= f->criu_opts.message ==
             "unix: Can't dump half of stream unix connection. name: " + dir + "/split.sock; peer name: (null)";
  EXPECT_TRUE(found);
}

TEST_F(CheckpointTopology, WholeTreeIsReadyButTheAbstractNameWarns) {
  Report r = rp_.run(rp_.pids());
  EXPECT_TRUE(by_rule(r, "U1").empty());
  EXPECT_TRUE(by_rule(r, "S7").empty()) << "the pending client is in the tree: an in-flight connection CRIU dumps";
  EXPECT_EQ(by_rule(r, "U12").size(), 2u);  // the abstract listener and its accepted end
  EXPECT_EQ(r.overall(), Verdict::kWarn);
  EXPECT_EQ(exit_code(r), kExitWarnings);
}

// kthreadd recorded with `sockscope record DIR -p 2` (its stat has
// PF_KTHREAD): T1 blocks, whatever the options (ptrace refuses kernel threads).
TEST(CheckpointKthreadd, KernelThreadBlocksWithCriusMessage) {
  Replay rp("kthreadd");
  Report r = rp.run({2}, "--ext-unix-sk --tcp-established");
  EXPECT_EQ(r.overall(), Verdict::kBlock);
  auto t1 = by_rule(r, "T1");
  ASSERT_EQ(t1.size(), 1u);
  EXPECT_EQ(t1[0]->pid, 2);
  EXPECT_EQ(t1[0]->comm, "kthreadd");
  ASSERT_FALSE(t1[0]->messages.empty());
  EXPECT_EQ(t1[0]->messages[0].text, "Unable to interrupt task: 2 (Operation not permitted)");
}

TEST(CheckpointKthreadd, UserProcessesAreNoKernelThreads) {
  Replay rp("checkpoint_sssd_jvm");  // recorded before stat was: PPid from status, T1 never
  EXPECT_TRUE(by_rule(rp.run({rp.pids()[0]}), "T1").empty());
  Replay topo("topology");
  EXPECT_TRUE(by_rule(topo.run({topo.pids()[0]}), "T1").empty());
}

}  // namespace
}  // namespace sockscope::checkpoint
