# Where `cmake --install` and the Debian packages (cmake/PavilionPackaging.cmake) put things.
# Programs go to bin/, their data to share/pavilion/, found there relative to the program (e.g.
# hub::default_web_root()), so a build folder keeps working as it is.
include(GNUInstallDirs)
set(PAVILION_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/pavilion)
# Debian 12 (lintian 2.116) expects system units in /lib, user units in /usr/lib.
set(PAVILION_SYSTEMD_SYSTEM_UNIT_DIR /lib/systemd/system)
set(PAVILION_SYSTEMD_USER_UNIT_DIR /usr/lib/systemd/user)
set(PAVILION_CONFIG_DIR /etc/pavilion)
# cpack (and `cmake --install`) package what the build made and never build themselves: the
# packaging test runs cpack in a build folder that other tests are using.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
