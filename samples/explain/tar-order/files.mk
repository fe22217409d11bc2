all: tree/a tree/b
tree/a:
	sleep 1; echo a > $@
tree/b:
	echo b > $@
