"""Views: one module per page; a function of (params, language) that returns a frozen view model, cached per data version."""
