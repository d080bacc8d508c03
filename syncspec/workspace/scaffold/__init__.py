"""Package data for `syncspec init`: the files a new project starts with."""
