# runner self-test: passes
true
