# SPDX-License-Identifier: GPL-2.0-only
# bpf_object(NAME SRC [DEPENDS header...]): compiles a CO-RE BPF program and
# generates its libbpf skeleton at build time, after libbpf-bootstrap's
# tools/cmake/FindBpfObject.cmake:
#   SRC --clang -g -O2 -target bpf--> NAME.bpf.o --bpftool gen skeleton--> NAME.skel.h
# Both outputs live only in the build dir. Link the INTERFACE target NAME_skel
# to get the include path, the build order and libbpf (cmake/Deps.cmake).
#
# vmlinux.h is the one kept in vmlinux/<arch>/ (scripts/gen_vmlinux.sh); the
# build never dumps the build host's BTF, so builds are reproducible.

find_program(BPF_CLANG NAMES clang-14 clang REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin /usr/local/sbin REQUIRED)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(BPF_ARCH x86)
else()
  message(FATAL_ERROR "bpf_object: no vmlinux/<arch>/vmlinux.h for ${CMAKE_SYSTEM_PROCESSOR} yet; "
                      "run scripts/gen_vmlinux.sh on that arch and add a case here")
endif()
set(BPF_VMLINUX_DIR ${PROJECT_SOURCE_DIR}/vmlinux/${BPF_ARCH})

function(bpf_object name src)
  cmake_parse_arguments(B "" "" "DEPENDS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  set(obj ${out_dir}/${name}.bpf.o)
  set(skel ${out_dir}/${name}.skel.h)
  file(MAKE_DIRECTORY ${out_dir})
  add_custom_command(OUTPUT ${obj}
    COMMAND ${BPF_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_${BPF_ARCH}
            -Wall -Werror
            -I${BPF_VMLINUX_DIR} -I${PROJECT_SOURCE_DIR}/abi -I${PROJECT_SOURCE_DIR}/bpf
            -c ${src} -o ${obj}
    DEPENDS ${src} ${B_DEPENDS} ${BPF_VMLINUX_DIR}/vmlinux.h
    COMMENT "BPF ${name}.bpf.o"
    VERBATIM)
  add_custom_command(OUTPUT ${skel}
    COMMAND sh -c "${BPFTOOL} gen skeleton ${obj} name ${name} > ${skel}.tmp && mv ${skel}.tmp ${skel}"
    DEPENDS ${obj}
    COMMENT "BPF skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(${name}_skel_gen DEPENDS ${skel})
  add_library(${name}_skel INTERFACE)
  target_include_directories(${name}_skel INTERFACE ${out_dir} ${PROJECT_SOURCE_DIR}/abi)
  target_link_libraries(${name}_skel INTERFACE sockscope_dep_bpf)
  add_dependencies(${name}_skel ${name}_skel_gen)
endfunction()
