// SPDX-License-Identifier: GPL-2.0-only
// Flame graphs (render/flame.h): the path of a stacked event, its folded
// line, and the SVG: merging, widths, tooltips, the script, and names that
// must stay text in XML whatever bytes they hold.
#include "render/flame.h"

#include <gtest/gtest.h>

#include <regex>

#include "base/escape.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

const std::string kHostile = std::string("q\"b\\s\nn\x1b[31m<t&amp;]]>;'") + "\xff\xfe";

Frame native(std::string symbol) {
  Frame f;
  f.kind = FrameKind::kNative;
  f.symbol = std::move(symbol);
  f.module = "prog";
  return f;
}

Event socket_event(std::string comm) {
  Event e;
  e.kind = EventKind::kSocket;
  e.comm = std::move(comm);
  return e;
}

// Leaf first, as the symbolizer gives them.
Stack stack_of(std::vector<Frame> frames, bool truncated = false) {
  Stack s;
  s.frames = std::move(frames);
  s.truncated = truncated;
  return s;
}

FlamePath path_of(std::initializer_list<const char*> names) {
  FlamePath p;
  for (const char* n : names) p.frames.push_back({n, FlameKind::kNative});
  return p;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(FlamePath, RootFirstWithCommTruncationAndCall) {
  Frame jit;
  jit.kind = FrameKind::kJit;
  jit.symbol = "Foo.bar";
  Frame anon;
  anon.pc = 0x1234;
  auto p = flame_path(socket_event("app"), stack_of({native("__socket"), jit, anon}, true));
  std::vector<FlameFrame> want = {{"app", FlameKind::kProcess},     {"[truncated]", FlameKind::kTruncated},
                                  {"0x1234", FlameKind::kUnknown},  {"Foo.bar", FlameKind::kJit},
                                  {"__socket", FlameKind::kNative}, {"[socket]", FlameKind::kKernel}};
  EXPECT_EQ(p.frames, want);
  EXPECT_EQ(folded_text(p), "app;[truncated];0x1234;Foo.bar;__socket;[socket] 1");
  EXPECT_EQ(folded_line(socket_event(""), stack_of({native("main")})), "?;main;[socket] 1");
}

// One line per stack whatever the names hold: ';' cannot split a frame, and
// no byte a terminal or a folded-file reader would act on is left raw.
TEST(FlamePath, FoldedLineOfHostileNames) {
  std::string line = folded_line(socket_event(kHostile), stack_of({native(kHostile)}));
  std::string shown = R"(q"b\x5cs\x0an\x1b[31m<t&amp:]]>:'\xff\xfe)";
  EXPECT_EQ(line, shown + ";" + shown + ";[socket] 1");
  EXPECT_TRUE(valid_utf8(line));
}

TEST(FlameSvg, MergesCommonPrefixesAndSizesByCount) {
  std::vector<FlamePath> paths = {path_of({"p", "main", "a"}), path_of({"p", "main", "b"}),
                                  path_of({"p", "main", "b"})};
  std::string svg = flamegraph_svg(paths, {.title = "T", .unit = "stacks"});
  EXPECT_EQ(count(svg, "<g class=\"f\""), 5u);  // all, p, main, a, b
  EXPECT_NE(svg.find("<title>all (unknown; 3 stacks, 100.00%)</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>main (native; 3 stacks, 100.00%)</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>a (native; 1 stacks, 33.33%)</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>b (native; 2 stacks, 66.67%)</title>"), std::string::npos);
  // 1200 wide, 10 on each side: all spans 1180; a (first by name) a third of it.
  EXPECT_NE(svg.find("x=\"10.0\" y=\"88.0\" width=\"1180.0\""), std::string::npos);
  EXPECT_NE(svg.find("x=\"10.0\" y=\"40.0\" width=\"393.3\""), std::string::npos);
  EXPECT_NE(svg.find("x=\"403.3\" y=\"40.0\" width=\"786.7\""), std::string::npos);
}

TEST(FlameSvg, SelfContainedWithTheScriptInCdata) {
  std::string svg = flamegraph_svg({path_of({"p", "main"})});
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg ", 0), 0u);
  EXPECT_EQ(count(svg, "<![CDATA["), 1u);
  EXPECT_EQ(count(svg, "]]>"), 1u);  // the end of the CDATA section, nothing else
  for (const char* id : {"ss-flame", "ss-reset", "ss-search", "ss-details", "ss-matched"})
    EXPECT_NE(svg.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_EQ(svg.find("xlink:href"), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(svg.find("http://", svg.find("xmlns=\"http://www.w3.org/2000/svg\"") + 40), std::string::npos);
}

TEST(FlameSvg, HostileNamesAreText) {
  FlamePath p = flame_path(socket_event(kHostile), stack_of({native(kHostile)}));
  std::string svg = flamegraph_svg({p}, {.title = kHostile, .unit = "stacks"});
  EXPECT_TRUE(valid_utf8(svg));
  for (unsigned char c : svg) EXPECT_TRUE(c >= 0x20 || c == '\n') << static_cast<int>(c);
  // Outside the script, '<' only opens elements and '&' only starts the five entities.
  std::string body = svg.substr(0, svg.find("<script"));
  EXPECT_EQ(count(body, "]]>"), 0u);
  EXPECT_FALSE(std::regex_search(body, std::regex("&(?!(amp|lt|gt|quot|#39);)")));
  EXPECT_FALSE(std::regex_search(body, std::regex("<(?![?/a-z])")));
  std::string shown = "q&quot;b\\x5cs\\x0an\\x1b[31m&lt;t&amp;amp;]]&gt;;&#39;\\xff\\xfe";
  EXPECT_NE(svg.find("<g class=\"f\" data-name=\"" + shown + "\"><title>" + shown + " (process;"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<title>" + shown + "</title>"), std::string::npos);
}

// Half of 1180 px holds 82 characters of 12 px Verdana (0.59 em each): 80 and "..".
TEST(FlameSvg, LabelsAreCutToTheirFrameNeverInsideACharacter) {
  std::string wide(200, 'x');
  std::string utf8 = "a";
  for (int i = 0; i < 100; ++i) utf8 += "\xc3\xa9";  // é, starting at odd offsets
  std::string svg = flamegraph_svg({path_of({"p", wide.c_str()}), path_of({"q", utf8.c_str()})});
  EXPECT_TRUE(valid_utf8(svg));
  EXPECT_NE(svg.find(">" + std::string(80, 'x') + "..</text>"), std::string::npos);
  EXPECT_NE(svg.find(">" + utf8.substr(0, 79) + "..</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>" + wide + " (native;"), std::string::npos);  // the tooltip has it all
}

TEST(FlameSvg, NoStacksIsAPictureThatSaysSo) {
  std::string svg = flamegraph_svg({});
  EXPECT_NE(svg.find("no stacks were recorded"), std::string::npos);
  EXPECT_EQ(count(svg, "<g class=\"f\""), 0u);
}

}  // namespace
}  // namespace sockscope::render
