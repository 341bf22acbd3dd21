"""The analytics report of a build: its data (:mod:`.compute`), its page (:mod:`.html`) and the files
(:mod:`.report`)."""
