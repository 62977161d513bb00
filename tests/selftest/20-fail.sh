# runner self-test: fails by exit status
exit 3
