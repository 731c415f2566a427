// SPDX-License-Identifier: GPL-2.0-only
// The bpftool skeleton of bpf/sock_lifecycle.bpf.c, for tracer.cpp only.
// bpftool (7.1, Debian 12) writes C: the kconfig struct of the skeleton has
// `_Bool` members, which g++ takes in C++ as an extension and clang++ (the
// fuzz build, scripts/fuzz.sh) rejects as an unknown type. Under clang it
// is spelled `bool`, for this header only.
#pragma once

#if defined(__clang__) && !defined(_Bool)
#define _Bool bool  // NOLINT(bugprone-reserved-identifier,cppcoreguidelines-macro-usage): C's name in C++
#define SOCKSCOPE_SKELETON_BOOL
#endif

#include "sock_lifecycle.skel.h"

#ifdef SOCKSCOPE_SKELETON_BOOL
#undef _Bool
#undef SOCKSCOPE_SKELETON_BOOL
#endif
