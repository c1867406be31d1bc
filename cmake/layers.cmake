# Layers see only the layers below them (docs/architecture.md "Layers"). src/ is not an include
# directory: each layer's headers are reached through an include root of its own,
# build/layers/<layer>/, which holds one link, <layer> → src/<layer>. A layer's target has its
# own root as a PUBLIC include directory, so a target sees its own layer and those of the
# libraries it links, nothing else: in core, #include "app/context.hpp" is "No such file"
# (ctest layers_include_paths_hide_the_layers_above, tests/layers/include_paths_test.sh).
set(MITRA_LAYER_ROOT "${PROJECT_BINARY_DIR}/layers")

# Sets `out` to the include root of `layer` (a folder of src/), made on first use.
function(mitra_layer_root layer out)
  set(root "${MITRA_LAYER_ROOT}/${layer}")
  if(NOT IS_SYMLINK "${root}/${layer}")
    file(MAKE_DIRECTORY "${root}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${layer}" "${root}/${layer}" SYMBOLIC)
  endif()
  set(${out} "${root}" PARENT_SCOPE)
endfunction()

# Gives `target` the headers of `layer`: PUBLIC for a layer's library (those that link it see
# them too), PRIVATE for an executable or a module.
function(mitra_layer_headers target scope layer)
  mitra_layer_root(${layer} root)
  target_include_directories(${target} ${scope} "${root}")
endfunction()
