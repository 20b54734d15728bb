# The layering rule of DESIGN.md, checked at every configure: an engine module links only engine
# modules (and outside libraries); an app links only engine modules, its own folder's targets and
# outside libraries, never another app's. tests/, bench/ and fuzz/ are not checked: they may link
# anything.
#
#   pavilion_check_layering(ENGINE engine APPS content_tools kiosk hub
#                           [ALLOW "pavilion_kiosk -> pavilion_hub" …])
#
# ENGINE and APPS are top-level folders of the calling project; every target defined in them or
# below is checked, through ALIAS names (pavilion::hub is pavilion_hub). ALLOW lists edges that
# are known and being removed; an ALLOW entry that names no edge is an error too, so the list
# only ever shrinks. A broken rule stops the configure with one line per edge:
#   pavilion_kiosk (kiosk/) links pavilion_hub (hub/): an app may link only engine modules and its own libraries

# Appends to `out` every target defined in `directory` and the folders below it.
function(_pavilion_targets_below directory out)
  get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    _pavilion_targets_below("${subdirectory}" below)
    list(APPEND targets ${below})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# The project's own (non-imported) targets that `target` links, by their real names. Link items
# may be wrapped in generator expressions ($<LINK_ONLY:…>) or followed by directory markers
# (::@(…)) when linked from another folder, so every name-like word of an item is tried.
function(_pavilion_linked_targets target out)
  get_property(direct TARGET ${target} PROPERTY LINK_LIBRARIES)
  get_property(interface TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES)
  set(linked "")
  foreach(item IN LISTS direct interface)
    string(REGEX MATCHALL "[A-Za-z0-9_.+-]+(::[A-Za-z0-9_.+-]+)*" words "${item}")
    foreach(word IN LISTS words)
      if(NOT TARGET "${word}")
        continue()
      endif()
      get_property(aliased TARGET "${word}" PROPERTY ALIASED_TARGET)
      if(aliased)
        set(word "${aliased}")
      endif()
      get_property(imported TARGET "${word}" PROPERTY IMPORTED)
      if(NOT imported AND NOT word STREQUAL target)
        list(APPEND linked "${word}")
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES linked)
  set(${out} ${linked} PARENT_SCOPE)
endfunction()

# The folder of `target` relative to the project ("kiosk", "engine/render") and its top-level
# folder ("kiosk", "engine").
function(_pavilion_target_place target folder_out top_out)
  get_property(source_dir TARGET ${target} PROPERTY SOURCE_DIR)
  file(RELATIVE_PATH folder "${PROJECT_SOURCE_DIR}" "${source_dir}")
  string(REGEX REPLACE "/.*" "" top "${folder}")
  set(${folder_out} "${folder}" PARENT_SCOPE)
  set(${top_out} "${top}" PARENT_SCOPE)
endfunction()

function(pavilion_check_layering)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "ENGINE" "APPS;ALLOW")
  if(NOT arg_ENGINE OR NOT arg_APPS OR arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pavilion_check_layering(ENGINE folder APPS folder… [ALLOW \"a -> b\"…]): got ${ARGV}")
  endif()
  set(unused_allowances ${arg_ALLOW})
  set(broken "")
  foreach(top IN ITEMS ${arg_ENGINE} ${arg_APPS})
    _pavilion_targets_below("${PROJECT_SOURCE_DIR}/${top}" targets)
    foreach(target IN LISTS targets)
      _pavilion_linked_targets(${target} linked)
      foreach(dependency IN LISTS linked)
        _pavilion_target_place(${target} folder target_top)
        _pavilion_target_place(${dependency} dependency_folder dependency_top)
        if(dependency_top STREQUAL arg_ENGINE)
          continue()  # everyone may link the engine
        endif()
        if(target_top STREQUAL arg_ENGINE)
          set(rule "an engine module may link only other engine modules")
        elseif(dependency_top STREQUAL target_top)
          continue()  # an app's own libraries
        else()
          set(rule "an app may link only engine modules and its own libraries")
        endif()
        set(edge "${target} -> ${dependency}")
        if(edge IN_LIST arg_ALLOW)
          list(REMOVE_ITEM unused_allowances "${edge}")
          continue()
        endif()
        string(APPEND broken "\n  ${target} (${folder}/) links ${dependency} (${dependency_folder}/): ${rule}")
      endforeach()
    endforeach()
  endforeach()
  foreach(allowance IN LISTS unused_allowances)
    string(APPEND broken "\n  ALLOW \"${allowance}\" names no link of the project any more: remove it from the list")
  endforeach()
  if(broken)
    message(FATAL_ERROR "The project's layering is broken (DESIGN.md; cmake/PavilionLayering.cmake):${broken}")
  endif()
endfunction()
