# SPDX-License-Identifier: GPL-2.0-only
# The third-party libraries as link targets: sockscope_dep_fmt,
# sockscope_dep_bpf (libbpf), sockscope_dep_dw (libdw + libelf) and
# sockscope_dep_sqlite (the history database, src/history).
#
# With SOCKSCOPE_STATIC_DEPS (default ON, OFF under the sanitizers) they are
# linked from Debian's static archives, fmt is used header-only and
# libstdc++/libgcc are linked statically, so sockscope loads only libc and
# libm (SOCKSCOPE_PIE, below, decides position independence). A
# dynamically linked sockscope spent two thirds of a `jvm attach` call in
# ld.so (symbol lookup for 12 libraries, mostly libstdc++'s), which made it
# three times slower than jattach; see docs/benchmarks.md.

option(SOCKSCOPE_STATIC_DEPS "Link libbpf, elfutils, fmt and libstdc++ statically" ON)
if(SOCKSCOPE_SANITIZE)
  set(SOCKSCOPE_STATIC_DEPS OFF)  # ASan wants the shared runtime libraries
endif()

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf>=1.1)
pkg_check_modules(LIBDW REQUIRED IMPORTED_TARGET libdw libelf)
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3>=3.31)  # SQLITE_OPEN_NOFOLLOW

add_library(sockscope_dep_fmt INTERFACE)
add_library(sockscope_dep_bpf INTERFACE)
add_library(sockscope_dep_dw INTERFACE)
add_library(sockscope_dep_sqlite INTERFACE)

if(NOT SOCKSCOPE_STATIC_DEPS)
  target_link_libraries(sockscope_dep_fmt INTERFACE fmt::fmt)
  target_link_libraries(sockscope_dep_bpf INTERFACE PkgConfig::LIBBPF)
  target_link_libraries(sockscope_dep_dw INTERFACE PkgConfig::LIBDW)
  target_link_libraries(sockscope_dep_sqlite INTERFACE PkgConfig::SQLITE)
  return()
endif()

# sockscope_static_archive(NAME DEPS...): an imported lib<NAME>.a that pulls
# in its own dependencies after itself, so the link order is right.
function(sockscope_static_archive name)
  find_library(SOCKSCOPE_${name}_A NAMES lib${name}.a REQUIRED)
  add_library(sockscope_static_${name} STATIC IMPORTED)
  set_target_properties(sockscope_static_${name} PROPERTIES IMPORTED_LOCATION ${SOCKSCOPE_${name}_A})
  if(ARGN)
    list(TRANSFORM ARGN PREPEND sockscope_static_)
    set_target_properties(sockscope_static_${name} PROPERTIES INTERFACE_LINK_LIBRARIES "${ARGN}")
  endif()
endfunction()

# The dependencies are those of `pkg-config --static --libs libbpf libdw sqlite3`.
sockscope_static_archive(z)
sockscope_static_archive(lzma)
sockscope_static_archive(bz2)
sockscope_static_archive(elf z)
sockscope_static_archive(dw elf bz2 lzma z)
sockscope_static_archive(bpf elf z)
sockscope_static_archive(sqlite3 z)

target_link_libraries(sockscope_dep_fmt INTERFACE fmt::fmt-header-only)
target_include_directories(sockscope_dep_bpf INTERFACE ${LIBBPF_INCLUDE_DIRS})
target_link_libraries(sockscope_dep_bpf INTERFACE sockscope_static_bpf)
target_include_directories(sockscope_dep_dw INTERFACE ${LIBDW_INCLUDE_DIRS})
target_link_libraries(sockscope_dep_dw INTERFACE sockscope_static_dw)
target_include_directories(sockscope_dep_sqlite INTERFACE ${SQLITE_INCLUDE_DIRS})
# libsqlite3.a also wants libm and libpthread, which are in libc (or the
# default link) on Debian 12.
target_link_libraries(sockscope_dep_sqlite INTERFACE sockscope_static_sqlite3 m)
add_link_options(-static-libstdc++ -static-libgcc)

# -DSOCKSCOPE_PIE=OFF links a position-dependent executable: ld.so then has
# no relative relocations to apply (6,817 in a PIE sockscope), so start-up
# copies no .data.rel.ro/.got page on write. That is about a tenth of a
# `jvm attach` call and what still separates it from jattach's speed
# (docs/benchmarks.md). It stays ON by default: sockscope runs as root and
# parses ELF and DWARF from any container's binaries with libdw, and a
# position-dependent image would give an exploit of a parser bug its
# addresses.
option(SOCKSCOPE_PIE "Link sockscope as a position-independent executable" ON)
if(NOT SOCKSCOPE_PIE)
  add_link_options(-no-pie)
endif()
