// SPDX-License-Identifier: GPL-2.0-only
#include "render/flame.h"

#include <fmt/format.h>

#include <algorithm>

#include "render/escape.h"
#include "render/flame_script.h"

namespace sockscope::render {
namespace {

// Geometry of the picture, in pixels.
constexpr double kWidth = 1200, kPad = 10, kFrameH = 16, kTop = 40, kBottom = 30, kFont = 12;

FlameKind kind_of(FrameKind k) {
  switch (k) {
    case FrameKind::kNative: return FlameKind::kNative;
    case FrameKind::kJit: return FlameKind::kJit;
    case FrameKind::kInterpreted: return FlameKind::kInterpreted;
    case FrameKind::kUnknown: break;
  }
  return FlameKind::kUnknown;
}

const char* kind_word(FlameKind k) {
  switch (k) {
    case FlameKind::kProcess: return "process";
    case FlameKind::kNative: return "native";
    case FlameKind::kJit: return "Java, compiled";
    case FlameKind::kInterpreted: return "Java, interpreted";
    case FlameKind::kKernel: return "syscall";
    case FlameKind::kTruncated: return "stack cut here";
    case FlameKind::kUnknown: break;
  }
  return "unknown";
}

// A frame with no symbol, as frame_text() shows it, unescaped.
std::string raw_name(const Frame& f) {
  if (!f.symbol.empty()) return f.symbol;
  if (f.module.empty()) return fmt::format("{:#x}", f.pc);
  return fmt::format("{:#x} ({}+{:#x})", f.pc, f.module, f.module_offset);
}

struct Node {
  FlameFrame frame;
  uint64_t count = 0;
  std::vector<Node> children;
};

void insert(Node& at, const FlamePath& p) {
  Node* n = &at;
  n->count += p.count;
  for (const auto& f : p.frames) {
    auto it = std::find_if(n->children.begin(), n->children.end(), [&](const Node& c) { return c.frame == f; });
    if (it == n->children.end()) it = n->children.insert(n->children.end(), Node{f, 0, {}});
    n = &*it;
    n->count += p.count;
  }
}

// Children in name order (as flame graphs merge them), and the depth.
size_t finish(Node& n) {
  std::sort(n.children.begin(), n.children.end(), [](const Node& a, const Node& b) {
    return a.frame.name != b.frame.name ? a.frame.name < b.frame.name : a.frame.kind < b.frame.kind;
  });
  size_t depth = 0;
  for (auto& c : n.children) depth = std::max(depth, finish(c));
  return depth + 1;
}

// The same name gets the same shade, so a function reads alike in every column.
std::string fill(const FlameFrame& f) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : f.name) h = (h ^ c) * 16777619u;
  int v = static_cast<int>(h % 40);
  switch (f.kind) {
    case FlameKind::kNative: return fmt::format("rgb({},{},{})", 215 + v, 90 + 2 * v, 55 + v / 2);
    case FlameKind::kJit: return fmt::format("rgb({},{},{})", 70 + v, 190 + v, 70 + v / 2);
    case FlameKind::kInterpreted: return fmt::format("rgb({},{},{})", 70 + v, 185 + v, 200 + v);
    case FlameKind::kKernel: return fmt::format("rgb(245,{},60)", 160 + v);
    case FlameKind::kProcess: return fmt::format("rgb({},{},225)", 165 + v, 150 + v);
    case FlameKind::kTruncated: return "rgb(225,225,225)";
    case FlameKind::kUnknown: break;
  }
  return fmt::format("rgb({0},{0},{0})", 185 + v);
}

// `text` (printable) cut to what fits `width` pixels, never inside a UTF-8
// sequence.
std::string fit(const std::string& text, double width) {
  double chars = (width - 6) / (kFont * 0.59);
  if (chars < 3) return "";
  if (text.size() <= static_cast<size_t>(chars)) return text;
  size_t cut = static_cast<size_t>(chars) - 2;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "..";
}

struct Drawing {
  std::string out;
  double scale = 0;  // pixels per count
  size_t depth = 0;
  uint64_t total = 0;
  std::string unit;
};

void draw(Drawing& d, const Node& n, size_t level, double x) {
  double w = static_cast<double>(n.count) * d.scale;
  if (w < 0.1) return;  // too thin to see or click; still counted in its callers
  double y = kTop + static_cast<double>(d.depth - 1 - level) * kFrameH;
  std::string name = printable(n.frame.name);
  double pct = 100.0 * static_cast<double>(n.count) / static_cast<double>(d.total);
  d.out += fmt::format("<g class=\"f\" data-name=\"{}\"><title>{} ({}; {} {}, {:.2f}%)</title>"
                       "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" rx=\"2\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text></g>\n",
                       xml_escape(name), xml_escape(name), kind_word(n.frame.kind), n.count, d.unit, pct, x, y, w,
                       kFrameH - 1, fill(n.frame), x + 3, y + kFrameH - 4.5, xml_escape(fit(name, w)));
  for (const auto& c : n.children) {
    draw(d, c, level + 1, x);
    x += static_cast<double>(c.count) * d.scale;
  }
}

std::string header(const FlameOptions& o, double height) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<svg version=\"1.1\" id=\"ss-flame\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" data-pad=\"{2}\" data-inner=\"{3}\" data-font=\"{4}\">\n"
      "<title>{5}</title>\n"
      "<style>text {{ font-family: Verdana, sans-serif; font-size: {4}px; fill: #000; }}\n"
      "g.f {{ cursor: pointer; }} g.f:hover rect {{ stroke: #000; stroke-width: 0.5; }}\n"
      ".ctl {{ cursor: pointer; fill: #33a; }}</style>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#f8f8f4\"/>\n"
      "<text x=\"{6}\" y=\"24\" text-anchor=\"middle\" style=\"font-size:17px\">{5}</text>\n"
      "<text id=\"ss-reset\" class=\"ctl\" x=\"{2}\" y=\"24\" style=\"display:none\">Reset Zoom</text>\n"
      "<text id=\"ss-search\" class=\"ctl\" x=\"{7}\" y=\"24\" text-anchor=\"end\">Search</text>\n",
      kWidth, height, kPad, kWidth - 2 * kPad, kFont, xml_text(o.title), kWidth / 2, kWidth - kPad);
}

}  // namespace

FlamePath flame_path(const Event& e, const Stack& s) {
  FlamePath p;
  p.frames.push_back({e.comm.empty() ? "?" : e.comm, FlameKind::kProcess});
  if (s.truncated) p.frames.push_back({"[truncated]", FlameKind::kTruncated});
  for (size_t i = s.frames.size(); i-- > 0;) p.frames.push_back({raw_name(s.frames[i]), kind_of(s.frames[i].kind)});
  p.frames.push_back({fmt::format("[{}]", kind_name(e.kind)), FlameKind::kKernel});
  return p;
}

std::string folded_text(const FlamePath& p) {
  std::string out;
  for (const auto& f : p.frames) {
    std::string name = printable(f.name);
    std::replace(name.begin(), name.end(), ';', ':');
    out += (out.empty() ? "" : ";") + name;
  }
  return fmt::format("{} {}", out, p.count);
}

std::string folded_lines(const std::vector<FlamePath>& paths) {
  std::string out;
  for (const auto& p : paths) out += folded_text(p) + "\n";
  return out;
}

std::string flamegraph_svg(const std::vector<FlamePath>& paths, const FlameOptions& o) {
  Node all{{"all", FlameKind::kUnknown}, 0, {}};
  for (const auto& p : paths) insert(all, p);
  Drawing d{.out = {}, .scale = 0, .depth = finish(all), .total = all.count, .unit = o.unit};
  double height = kTop + static_cast<double>(d.depth) * kFrameH + kBottom;
  d.out = header(o, height);
  std::string idle = fmt::format("{} {}; click a frame to zoom, Search (Ctrl-F) to highlight", all.count, o.unit);
  if (all.count == 0) idle = "no stacks were recorded";
  else {
    d.scale = (kWidth - 2 * kPad) / static_cast<double>(all.count);
    draw(d, all, 0, kPad);
  }
  d.out += fmt::format("<text id=\"ss-details\" x=\"{}\" y=\"{}\">{}</text>\n", kPad, height - 10, xml_text(idle));
  d.out += fmt::format("<text id=\"ss-matched\" x=\"{}\" y=\"{}\" text-anchor=\"end\"></text>\n", kWidth - kPad,
                       height - 10);
  return d.out + "<script type=\"text/ecmascript\"><![CDATA[" + kFlameScript + "]]></script>\n</svg>\n";
}

}  // namespace sockscope::render
