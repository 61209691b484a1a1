"""One module per CLI subcommand: parse options, call the pipeline, print."""
