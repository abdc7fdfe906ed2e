"""The site: pages and data files from the catalog, rendered safely, and the MkDocs glue's
building blocks (`zoo render` writes the same files into a folder)."""
