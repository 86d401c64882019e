"""Generators of the form templates (developer tooling, not shipped): one module per
scheme, each with ``build() -> list[Path]``. ``python -m form_templates.build [module…]``
regenerates the .docx/.xlsx templates from them."""
