"""Sphinx configuration of the skbgan documentation."""

import os

import skbgan

project = "skbgan"
author = "the skbgan developers"
release = version = skbgan.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
numpydoc_show_class_members = False
autodoc_default_options = {"members": True, "inherited-members": False,
                           # scikit-learn adds these for metadata routing of sample_weight
                           "exclude-members": "set_fit_request, set_score_request"}
intersphinx_mapping = {}  # no network at build time
myst_heading_anchors = 3
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "plot_gallery": os.environ.get("SKBGAN_DOCS_PLOT_GALLERY", "True"),
}
html_theme = "alabaster"
html_static_path = []
