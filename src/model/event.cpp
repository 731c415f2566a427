// SPDX-License-Identifier: GPL-2.0-only
#include "model/event.h"

namespace sockscope {

const char* kind_name(EventKind k) {
  switch (k) {
    case EventKind::kSocket: return "socket";
    case EventKind::kSocketpair: return "socketpair";
    case EventKind::kBind: return "bind";
    case EventKind::kListen: return "listen";
    case EventKind::kConnect: return "connect";
    case EventKind::kAccept: return "accept";
    case EventKind::kShutdown: return "shutdown";
    case EventKind::kClose: return "close";
    case EventKind::kSendmsg: return "sendmsg";
    case EventKind::kRecvmsg: return "recvmsg";
    case EventKind::kUnlink: return "unlink";
    case EventKind::kRename: return "rename";
    case EventKind::kExec: return "exec";
    case EventKind::kFork: return "fork";
    case EventKind::kExit: return "exit";
    case EventKind::kSignal: return "signal";
  }
  return "?";
}

}  // namespace sockscope
