// SPDX-License-Identifier: GPL-2.0-only
#include "render/escape.h"

#include <utility>
#include <vector>

namespace sockscope::render {
namespace {

using nlohmann::json;

bool bad_string(const json& v) { return v.is_string() && !valid_utf8(v.get_ref<const std::string&>()); }

// The `_hex` twin of an array member, or null when every element is UTF-8.
json array_hex(json& a) {
  bool any = false;
  for (const auto& v : a) any = any || bad_string(v);
  if (!any) return nullptr;
  json hex = json::array();
  for (auto& v : a) {
    if (!bad_string(v)) {
      hex.push_back(nullptr);
      continue;
    }
    const auto& s = v.get_ref<const std::string&>();
    hex.push_back(to_hex(s));
    v = utf8_replaced(s);
  }
  return hex;
}

void fix_object(json& o) {
  std::vector<std::pair<std::string, json>> added;
  for (auto& [key, v] : o.items()) {
    if (bad_string(v)) {
      const auto& s = v.get_ref<const std::string&>();
      added.emplace_back(key + "_hex", to_hex(s));
      v = utf8_replaced(s);
    } else if (v.is_array()) {
      if (json hex = array_hex(v); !hex.is_null()) added.emplace_back(key + "_hex", std::move(hex));
      make_json_safe(v);
    } else if (v.is_object()) {
      make_json_safe(v);
    }
  }
  for (auto& [k, v] : added) o[k] = std::move(v);
}

}  // namespace

std::string printable_command(std::string_view text) {
  std::string out;
  for (size_t at = 0;;) {
    size_t slash = text.find('\\', at);
    out += escape_text(text.substr(at, slash - at));
    if (slash == std::string_view::npos) return out;
    out += '\\';
    at = slash + 1;
  }
}

std::string dot_label(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\\n";
    for (char c : printable(lines[i])) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '&') out += "&amp;";
      else out += c;
    }
  }
  return out + "\"";
}

std::string xml_text(std::string_view bytes) { return xml_escape(printable(bytes)); }

std::string xml_escape(std::string_view printable_text) {
  std::string out;
  for (char c : printable_text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void make_json_safe(json& j) {
  if (j.is_object()) return fix_object(j);
  if (!j.is_array()) return;
  for (auto& v : j) {
    if (bad_string(v)) v = utf8_replaced(v.get_ref<const std::string&>());  // no key to hang _hex on
    else make_json_safe(v);
  }
}

std::string dump(json j, int indent) {
  make_json_safe(j);
  // A key that is not UTF-8 (no view writes one) still must not kill the
  // output: replace rather than throw.
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace sockscope::render
