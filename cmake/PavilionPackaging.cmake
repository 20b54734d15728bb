# The Debian packages pavilion-kiosk, pavilion-hub and pavilion-tools (README, "Installing at a
# branch"): `cpack -G DEB` in a build folder once it is built. Each app's CMakeLists installs its
# programs and data into its component (kiosk, hub, tools); packaging/ holds what a Debian package
# adds around them, installed here. Included last, when every component is known.

set(pavilion_packaging ${PROJECT_SOURCE_DIR}/packaging)

# The changelog's newest entry must be this version: a new version gets its entry first.
file(STRINGS ${pavilion_packaging}/debian/changelog pavilion_changelog_head LIMIT_COUNT 1)
if(NOT pavilion_changelog_head MATCHES "^pavilion \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/debian/changelog begins with '${pavilion_changelog_head}', not with an entry for "
                      "version ${PROJECT_VERSION}: add one (the Debian packages show it)")
endif()

# Man pages and the changelog compressed as Debian wants them (gzip -9n: the same bytes on every
# build), at build time, so cpack only copies.
find_program(PAVILION_GZIP gzip REQUIRED)
set(pavilion_man_pages kiosk:pavilion-kiosk hub:pavilion-hub tools:pavilion-pack tools:pavilion-snapshot
                       tools:pavilion-preview tools:pavilion-recite tools:pavilion-flashcheck
                       tools:pavilion-pyramid)
set(pavilion_packaging_out ${PROJECT_BINARY_DIR}/packaging)
set(pavilion_packaging_files)
foreach(entry IN LISTS pavilion_man_pages)
  string(REPLACE ":" ";" entry "${entry}")
  list(GET entry 0 component)
  list(GET entry 1 page)
  set(compressed ${pavilion_packaging_out}/${page}.1.gz)
  add_custom_command(OUTPUT ${compressed}
    COMMAND ${PAVILION_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/docs/man/${page}.1 > ${compressed}
    DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/${page}.1 VERBATIM)
  list(APPEND pavilion_packaging_files ${compressed})
  install(FILES ${compressed} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
endforeach()
set(pavilion_changelog ${pavilion_packaging_out}/changelog.gz)
add_custom_command(OUTPUT ${pavilion_changelog}
  COMMAND ${PAVILION_GZIP} -9n -c ${pavilion_packaging}/debian/changelog > ${pavilion_changelog}
  DEPENDS ${pavilion_packaging}/debian/changelog VERBATIM)
add_custom_target(pavilion_packaging_files ALL DEPENDS ${pavilion_packaging_files} ${pavilion_changelog})

# What is shipped binds every symbol at start and then makes its relocations read-only (full
# RELRO; lintian's hardening-no-bindnow): a hub facing a network should not have a writable GOT.
foreach(target IN ITEMS pavilion-kiosk pavilion-hub pavilion-pack pavilion-preview pavilion-snapshot pavilion-recite
                        pavilion-flashcheck pavilion-pyramid pavilion_xr_runtime)
  target_link_options(${target} PRIVATE LINKER:-z,relro,-z,now)
endforeach()

set(pavilion_components kiosk hub tools)
foreach(component IN LISTS pavilion_components)
  install(FILES ${pavilion_packaging}/debian/copyright ${pavilion_changelog}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/pavilion-${component} COMPONENT ${component})
endforeach()
# Settings for the administrator to edit, kept across upgrades (each package's conffiles).
install(FILES ${pavilion_packaging}/etc/hub.json DESTINATION ${PAVILION_CONFIG_DIR} COMPONENT hub)
install(FILES ${pavilion_packaging}/etc/kiosk.json DESTINATION ${PAVILION_CONFIG_DIR} COMPONENT kiosk)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pavilion)
set(CPACK_PACKAGE_VENDOR "The Pavilion authors")
set(CPACK_PACKAGE_CONTACT "Seed 026dc32c maintainers <maintainers@users.noreply.b-seed-026dc32c.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's description begins with its own synopsis line (CPack would put the project's first).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
# /etc/pavilion and the units' folders are absolute: DESTDIR keeps them inside the package, under
# this prefix for the rest.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${pavilion_components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE pavilion)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries' packages as dpkg-shlibdeps finds them, then each package's own.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Vulkan needs a driver (Mesa's, or a GPU vendor's vulkan-icd); the interface's and the poems'
# fonts are read from Debian's font packages (engine/ui/src/fonts.cpp, engine/text faces.h).
set(pavilion_graphics_depends "mesa-vulkan-drivers | vulkan-icd, fonts-noto-cjk, fonts-lxgw-wenkai")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME pavilion-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, ${pavilion_graphics_depends}")
# A kiosk can run its own hub (kiosk.json "hub": {"embedded": …}), the pavilion-hub program.
set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS pavilion-hub)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Pavilion exhibition kiosk for libraries
pavilion-kiosk shows a library's signed scene packages on a touch
screen or a headset: an attract loop, a touch menu of exhibits,
accessibility settings, opening hours, campaigns and an operator menu.
It keeps its packages up to date from its hub and sends anonymous
interaction events there.

It runs as a systemd user unit in the graphical session of the
kiosk's auto-login user.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${pavilion_packaging}/debian/pavilion-kiosk/postinst;${pavilion_packaging}/debian/pavilion-kiosk/postrm;${pavilion_packaging}/debian/pavilion-kiosk/conffiles")

set(CPACK_DEBIAN_HUB_PACKAGE_NAME pavilion-hub)
set(CPACK_DEBIAN_HUB_PACKAGE_SECTION net)
# time_zone in hub.json names an IANA zone, read from tzdata.
set(CPACK_DEBIAN_HUB_PACKAGE_DEPENDS "adduser, tzdata")
set(CPACK_DEBIAN_HUB_PACKAGE_SUGGESTS postgresql)
set(CPACK_COMPONENT_HUB_DESCRIPTION "Pavilion hub: kiosks' events, dashboard and package repository
pavilion-hub receives the interaction events of a library's Pavilion
kiosks and keeps them in SQLite or PostgreSQL, serves a dashboard of
visits for librarians, and publishes signed scene packages to the
kiosks of its branches, as the central station or as a branch hub
mirroring it.

It runs as the systemd service pavilion-hub under the pavilion
system user.")
set(CPACK_DEBIAN_HUB_PACKAGE_CONTROL_EXTRA
    "${pavilion_packaging}/debian/pavilion-hub/postinst;${pavilion_packaging}/debian/pavilion-hub/prerm;${pavilion_packaging}/debian/pavilion-hub/postrm;${pavilion_packaging}/debian/pavilion-hub/conffiles")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME pavilion-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "${pavilion_graphics_depends}")
set(CPACK_COMPONENT_TOOLS_DESCRIPTION "Pavilion curators' tools: pack, preview and snapshot scenes
pavilion-pack builds, signs, checks and compares the scene packages
Pavilion kiosks show; pavilion-preview shows one in a window,
pavilion-snapshot renders one to an image, pavilion-recite records
a poem's recitation with espeak-ng, pavilion-flashcheck checks
frames for flashes that can trigger seizures, and pavilion-pyramid
tiles a page scan as a static IIIF tile set. A simulated OpenXR headset lets
curators try a scene in XR without one.")

include(CPack)
