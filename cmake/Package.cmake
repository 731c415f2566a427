# SPDX-License-Identifier: GPL-2.0-only
# The Debian package, made by CPack's DEB generator (scripts/package.sh,
# docs/packaging.md); packaging/CMakeLists.txt says what goes in it.
set(SOCKSCOPE_DEB_MAINTAINER "Seed 09f03e4e maintainers <maintainers@users.noreply.h-seed-09f03e4e.example>"
    CACHE STRING "Maintainer field of the Debian package (and its changelog entry)")
set(SOCKSCOPE_DEB_RELEASE 1 CACHE STRING "Debian revision: the package is VERSION-RELEASE")
set(SOCKSCOPE_DEB_VERSION ${PROJECT_VERSION}-${SOCKSCOPE_DEB_RELEASE})

# cpack installs through the `preinstall` target, which would otherwise build
# everything, tests included; scripts/package.sh builds what is installed.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sockscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SOCKSCOPE_DEB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "who created a socket, who is on the other end, will it checkpoint")
set(CPACK_PACKAGE_DESCRIPTION "\
sockscope answers, across every network and mount namespace, the questions
ss and lsof cannot: which process holds each end of a unix or TCP socket,
who created a socket (with its creation stack, from an always-on BPF
recorder kept in SQLite), who binds, unlinks or replaces socket paths, and
whether CRIU or CRaC will checkpoint a process tree. It also speaks the
HotSpot attach protocol, in containers too.")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SOCKSCOPE_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends computed by dpkg-shlibdeps from the binary: the libraries are
# linked statically (cmake/Deps.cmake), so this is libc6 alone.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# lintian: unstripped-binary-or-object. The debug info stays in build/.
set(CPACK_STRIP_FILES ON)
# Directories 0755 whatever the umask of whoever runs cpack (lintian:
# non-standard-dir-perm); control files as dpkg-deb wants them.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debian's own packages are xz-compressed.
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
