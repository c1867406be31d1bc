# Install rules and the Debian package (make install, make package): the program, its manual
# pages (English, and Spanish under man/es) and completions (made by the program itself from its command tree), the systemd units,
# the copyright file and the Debian changelog.
include(GNUInstallDirs)

set(generated "${PROJECT_BINARY_DIR}/packaging")
set(man_stamp "${generated}/man.stamp")
add_custom_command(
  OUTPUT "${man_stamp}" "${generated}/completions/mitra" "${generated}/completions/_mitra"
         "${generated}/completions/mitra.fish"
  COMMAND ${CMAKE_COMMAND} -E rm -rf "${generated}/man" "${generated}/man-es"
  COMMAND $<TARGET_FILE:mitra> --lang en manual "${generated}/man"
  COMMAND sh -c "gzip -9nf \"$0\"/*.1" "${generated}/man"
  # The same pages in Spanish (docs/languages.md), under share/man/es.
  COMMAND $<TARGET_FILE:mitra> --lang es manual "${generated}/man-es"
  COMMAND sh -c "gzip -9nf \"$0\"/*.1" "${generated}/man-es"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${generated}/completions"
  COMMAND sh -c "\"$0\" completions bash > \"$1\"/mitra" $<TARGET_FILE:mitra> "${generated}/completions"
  COMMAND sh -c "\"$0\" completions zsh > \"$1\"/_mitra" $<TARGET_FILE:mitra> "${generated}/completions"
  COMMAND sh -c "\"$0\" completions fish > \"$1\"/mitra.fish" $<TARGET_FILE:mitra> "${generated}/completions"
  COMMAND sh -c "gzip -9nc \"$0\" > \"$1\"/changelog.gz" "${PROJECT_SOURCE_DIR}/packaging/changelog" "${generated}"
  COMMAND ${CMAKE_COMMAND} -E touch "${man_stamp}"
  DEPENDS mitra "${PROJECT_SOURCE_DIR}/packaging/changelog"
  VERBATIM)
add_custom_target(mitra_reference ALL DEPENDS "${man_stamp}")

install(TARGETS mitra RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The PostgreSQL engine, a module the program loads on demand from ../${MITRA_MODULE_DIR}
# (store/postgres/module.hpp). shlibdeps reads its libraries (libpqxx …) into Depends.
install(TARGETS mitra_postgres LIBRARY DESTINATION ${MITRA_MODULE_DIR})
# The server of `mitra serve` (OpenSSL, Boost.Beast, the web app), a module loaded the same way
# (server/module.hpp).
install(TARGETS mitra_serve LIBRARY DESTINATION ${MITRA_MODULE_DIR})
install(DIRECTORY "${generated}/man/" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY "${generated}/man-es/" DESTINATION ${CMAKE_INSTALL_MANDIR}/es/man1)
install(FILES "${generated}/completions/mitra" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES "${generated}/completions/_mitra" DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES "${generated}/completions/mitra.fish" DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES "${PROJECT_SOURCE_DIR}/packaging/systemd/mitra.service" DESTINATION lib/systemd/user)
install(FILES "${PROJECT_SOURCE_DIR}/packaging/systemd/mitra-clinic.service"
              "${PROJECT_SOURCE_DIR}/packaging/systemd/mitra-clinic@.service" DESTINATION lib/systemd/system)
install(FILES "${PROJECT_SOURCE_DIR}/packaging/copyright" "${generated}/changelog.gz"
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME mitra)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mitra maintainers <maintainers@mitra.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "private journal and taper planner for kratom use")
set(CPACK_PACKAGE_DESCRIPTION
    "mitra keeps a private journal of kratom doses on this machine: the pattern of\nuse, frequency first; a self-reflection that is never a diagnosis; the\nwithdrawal timeline; a taper plan that stretches the time between doses\nbefore it trims them; safety advisories; crisis lines on every screen; and a\nlocal web app. Nothing is sent anywhere.")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/mitra-journal/mitra")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libical is loaded at run time (dlopen), so shlibdeps cannot see it; the zone files that mitra
# reads itself (core/time_zone.hpp, app/zones.cpp) are tzdata's.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libical3, tzdata")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
