# Evaluation of verdict accuracy on generated, labelled dossiers (issue 4).
# `make eval` is the full run (three dossiers of each of the 93 scenarios);
# CI runs the fast subset, one of each, as a go test
# (TestEvalFastSubset in cmd/dossier).
EVAL_DIR ?= var/eval
EVAL_COUNT ?= 279
EVAL_SEED ?= 1

.PHONY: build test eval eval-fast
build:
	go build -o bin/ ./cmd/...

test:
	bash scripts/test.sh

eval: build
	rm -rf $(EVAL_DIR) && ./bin/dossier gen --seed $(EVAL_SEED) --count $(EVAL_COUNT) $(EVAL_DIR)
	./bin/dossier eval $(EVAL_DIR)

eval-fast: EVAL_COUNT = 93
eval-fast: eval
