"""How a build does the core's work: what it keeps between builds, what it hands to workers.

The core (`load_archive`, `ArchiveSite`, `Renderer`) says what an archive and its site are;
this package decides how the work gets done: readings and fragments kept in a content store
keyed by everything they depend on, a worker process for the plugin's own reading and
rendering where a second core is free, sanitizing on threads. It imports nothing from MkDocs.
"""
