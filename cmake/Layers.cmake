# peyvand_layer(NAME DIRS <src subfolders> USES <other layers>)
#
# Creates static library peyvand_NAME from the non-test .cpp files directly in
# each DIRS folder. Its include path is a generated tree under
# ${PEYVAND_INCLUDE_ROOT}/NAME that holds symlinks to the headers of its own
# folders and of the layers it USES, and nothing else: an include of a layer
# it does not use is "file not found" at compile time.
set(PEYVAND_INCLUDE_ROOT ${CMAKE_BINARY_DIR}/include-trees)
set_property(GLOBAL PROPERTY PEYVAND_LAYERS "")

function(_peyvand_link_headers tree dir)
  file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${dir}/*.hpp)
  file(MAKE_DIRECTORY ${tree}/${dir})
  foreach(h IN LISTS headers)
    get_filename_component(name ${h} NAME)
    file(CREATE_LINK ${h} ${tree}/${dir}/${name} SYMBOLIC)
  endforeach()
endfunction()

function(peyvand_layer name)
  cmake_parse_arguments(L "" "" "DIRS;USES" ${ARGN})
  set(sources "")
  foreach(dir IN LISTS L_DIRS)
    file(GLOB cpps CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${dir}/*.cpp)
    list(FILTER cpps EXCLUDE REGEX "_test\\.cpp$")
    list(APPEND sources ${cpps})
    file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${dir}/*_test.cpp)
    set_property(GLOBAL APPEND PROPERTY PEYVAND_UNIT_TESTS ${tests})
  endforeach()
  list(FILTER sources EXCLUDE REGEX "/app/main\\.cpp$")

  set(tree ${PEYVAND_INCLUDE_ROOT}/${name})
  file(REMOVE_RECURSE ${tree})
  foreach(dir IN LISTS L_DIRS)
    _peyvand_link_headers(${tree} ${dir})
  endforeach()
  set(all_dirs ${L_DIRS})
  foreach(dep IN LISTS L_USES)
    get_property(dep_dirs GLOBAL PROPERTY PEYVAND_DIRS_${dep})
    foreach(dir IN LISTS dep_dirs)
      _peyvand_link_headers(${tree} ${dir})
    endforeach()
    list(APPEND all_dirs ${dep_dirs})
  endforeach()
  set_property(GLOBAL PROPERTY PEYVAND_DIRS_${name} ${L_DIRS})

  if(NOT sources)
    # A layer still without code gets an empty unit so it links like the rest.
    set(empty ${CMAKE_BINARY_DIR}/empty/${name}.cpp)
    file(WRITE ${empty} "// empty layer\n")
    set(sources ${empty})
  endif()
  add_library(peyvand_${name} STATIC ${sources})
  target_include_directories(peyvand_${name} PRIVATE ${tree})
  foreach(dep IN LISTS L_USES)
    target_link_libraries(peyvand_${name} PUBLIC peyvand_${dep})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY PEYVAND_LAYERS ${name})
endfunction()
