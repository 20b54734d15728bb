# pavilion_add_shaders(<target> NAMESPACE <c++ namespace> SOURCES <glsl files...> [INCLUDE_DIRS <dirs...>])
#
# Compiles GLSL to SPIR-V with glslc at build time (rebuilt when a shader or any header it
# includes changes, through glslc's depfile) and embeds the words into <target> as
#   namespace <ns> { extern const std::span<const uint32_t> <file_name_with_underscores>; }
# declared in the generated header "<target>_shaders.h".
function(pavilion_add_shaders target)
  cmake_parse_arguments(ARG "" "NAMESPACE" "SOURCES;INCLUDE_DIRS" ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/shaders")
  file(MAKE_DIRECTORY "${out_dir}")

  set(include_flags "")
  foreach(dir IN LISTS ARG_INCLUDE_DIRS)
    list(APPEND include_flags "-I${dir}")
  endforeach()

  set(spirv_files "")
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source_path "${source}" ABSOLUTE)
    get_filename_component(name "${source}" NAME)
    set(spirv "${out_dir}/${name}.spv")
    add_custom_command(
      OUTPUT "${spirv}"
      COMMAND "${Vulkan_GLSLC_EXECUTABLE}" --target-env=vulkan1.3 -O -Werror ${include_flags}
              -MD -MF "${spirv}.d" -o "${spirv}" "${source_path}"
      DEPENDS "${source_path}"
      DEPFILE "${spirv}.d"
      COMMENT "glslc ${name}"
      VERBATIM)
    list(APPEND spirv_files "${spirv}")
  endforeach()

  set(header "${out_dir}/${target}_shaders.h")
  set(source "${out_dir}/${target}_shaders.cpp")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${CMAKE_COMMAND}" -DHEADER=${header} -DSOURCE=${source} -DNAMESPACE=${ARG_NAMESPACE}
            "-DINPUTS=${spirv_files}" -P "${PROJECT_SOURCE_DIR}/cmake/EmbedSpirv.cmake"
    DEPENDS ${spirv_files} "${PROJECT_SOURCE_DIR}/cmake/EmbedSpirv.cmake"
    COMMENT "Embedding SPIR-V for ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${source}" "${header}")
  target_include_directories(${target} PRIVATE "${out_dir}")
endfunction()
