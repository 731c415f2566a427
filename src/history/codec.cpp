// SPDX-License-Identifier: GPL-2.0-only
#include "history/codec.h"

namespace sockscope::history {

namespace {

constexpr uint64_t kStackVersion = 1;
constexpr uint64_t kFromFp = 4;  // bit of a frame's kind byte

enum ExtraTag : uint64_t { kFd2 = 1, kIno2, kPeer, kFlags, kPath2, kFds, kFdInos, kFdsTotal, kExitStatus };

Error bad(const char* what) {
  return Error{std::string("damaged history record: ") + what, 0,
               "the database is damaged; move it aside and let the recorder start a new one"};
}

}  // namespace

void BlobWriter::u(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void BlobWriter::bytes(std::string_view b) {
  u(b.size());
  out_.append(b);
}

bool BlobReader::u(uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && pos_ < b_.size(); shift += 7) {
    auto c = static_cast<uint8_t>(b_[pos_++]);
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

bool BlobReader::s(int64_t& v) {
  uint64_t z = 0;
  if (!u(z)) return false;
  v = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  return true;
}

bool BlobReader::bytes(std::string& v) {
  uint64_t n = 0;
  if (!u(n) || n > b_.size() - pos_) return false;
  v.assign(b_.substr(pos_, n));
  pos_ += n;
  return true;
}

bool BlobReader::count(size_t& n) {
  uint64_t v = 0;
  if (!u(v) || v > b_.size() - pos_) return false;
  n = static_cast<size_t>(v);
  return true;
}

std::string encode_stack(const Stack& s) {
  BlobWriter w;
  w.u(kStackVersion);
  w.u(s.truncated ? 1 : 0);
  w.bytes(s.end);
  w.bytes(s.note);
  w.u(s.copied);
  w.u(s.held);
  w.u(s.frames.size());
  for (const Frame& f : s.frames) {
    w.u(static_cast<uint64_t>(f.kind) | (f.from_fp ? kFromFp : 0));
    w.u(f.pc);
    w.bytes(f.symbol);
    w.u(f.offset);
    w.bytes(f.module);
    w.u(f.module_offset);
    w.bytes(f.build_id);
  }
  return w.take();
}

Result<Stack> decode_stack(std::string_view blob) {
  BlobReader r(blob);
  Stack s;
  uint64_t version = 0, truncated = 0;
  size_t n = 0;
  if (!r.u(version) || version != kStackVersion) return bad("unknown stack encoding");
  if (!r.u(truncated) || !r.bytes(s.end) || !r.bytes(s.note) || !r.u(s.copied) || !r.u(s.held) || !r.count(n))
    return bad("stack header cut short");
  s.truncated = truncated != 0;
  s.frames.reserve(n);
  for (size_t i = 0; i < n; i++) {
    Frame f;
    uint64_t kind = 0;
    if (!r.u(kind) || !r.u(f.pc) || !r.bytes(f.symbol) || !r.u(f.offset) || !r.bytes(f.module) ||
        !r.u(f.module_offset) || !r.bytes(f.build_id))
      return bad("stack frame cut short");
    if ((kind & ~kFromFp) > static_cast<uint64_t>(FrameKind::kUnknown)) return bad("unknown frame kind");
    f.kind = static_cast<FrameKind>(kind & ~kFromFp);
    f.from_fp = (kind & kFromFp) != 0;
    s.frames.push_back(std::move(f));
  }
  if (!r.done()) return bad("bytes after the stack");
  return s;
}

uint64_t stack_hash(std::string_view blob) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : blob) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string encode_extra(const Event& e) {
  BlobWriter w;
  auto num = [&](ExtraTag t, uint64_t v) {
    if (v) w.u(t), w.u(v);
  };
  if (e.fd2 != -1) w.u(kFd2), w.s(e.fd2);
  num(kIno2, e.sock_ino2);
  num(kPeer, e.peer_ino);
  num(kFlags, e.flags);
  if (!e.path2.empty()) w.u(kPath2), w.bytes(e.path2);
  if (!e.fds.empty()) {
    w.u(kFds), w.u(e.fds.size());
    for (int fd : e.fds) w.s(fd);
  }
  if (!e.fd_inos.empty()) {
    w.u(kFdInos), w.u(e.fd_inos.size());
    for (uint64_t ino : e.fd_inos) w.u(ino);
  }
  num(kFdsTotal, e.fds_total);
  if (e.exit_status) w.u(kExitStatus), w.s(e.exit_status);
  return w.take();
}

Result<Ok> decode_extra(std::string_view blob, Event& e) {
  BlobReader r(blob);
  while (!r.done()) {
    uint64_t tag = 0, v = 0;
    int64_t sv = 0;
    size_t n = 0;
    if (!r.u(tag)) return bad("event field tag cut short");
    bool ok = true;
    switch (tag) {
      case kFd2: ok = r.s(sv), e.fd2 = static_cast<int>(sv); break;
      case kIno2: ok = r.u(e.sock_ino2); break;
      case kPeer: ok = r.u(e.peer_ino); break;
      case kFlags: ok = r.u(v), e.flags = static_cast<uint32_t>(v); break;
      case kPath2: ok = r.bytes(e.path2); break;
      case kFds:
        ok = r.count(n);
        for (size_t i = 0; ok && i < n; i++) ok = r.s(sv), e.fds.push_back(static_cast<int>(sv));
        break;
      case kFdInos:
        ok = r.count(n);
        for (size_t i = 0; ok && i < n; i++) ok = r.u(v), e.fd_inos.push_back(v);
        break;
      case kFdsTotal: ok = r.u(v), e.fds_total = static_cast<uint32_t>(v); break;
      case kExitStatus: ok = r.s(sv), e.exit_status = static_cast<int>(sv); break;
      default: return bad("unknown event field");
    }
    if (!ok) return bad("event field cut short");
  }
  return Ok{};
}

}  // namespace sockscope::history
