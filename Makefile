# Evaluation of verdict accuracy on generated, labelled dossiers.
# `make eval` is the full run: three dossiers of each of the 144 scenarios in
# the first generator style, two of each in the second, independently
# written one (eval reports each style apart: a gap between them is layout
# learnt rather than documents read). CI runs the fast subset, one of each
# in style 1 and one of every other in style 2, as a go test
# (TestEvalFastSubset in cmd/dossier). A third style, written apart from
# the reader, draws the paper forms alone (48 dossiers here; 12 in CI,
# TestEvalPaperFormsThirdStyle).
EVAL_DIR ?= var/eval
EVAL_COUNT ?= 432
EVAL_COUNT2 ?= 288
EVAL_SEED ?= 1
# The third style draws the paper forms only.
EVAL_COUNT3 ?= 48
PAPER_FORMS = m12-paper,m18-paper,m36-paper,med-paper,meuble-paper

.PHONY: build test eval eval-fast
build:
	go build -o bin/ ./cmd/...

test:
	bash scripts/test.sh

eval: build
	rm -rf $(EVAL_DIR) && ./bin/dossier gen --style 1 --seed $(EVAL_SEED) --count $(EVAL_COUNT) $(EVAL_DIR)
	./bin/dossier gen --style 2 --seed $(EVAL_SEED) --count $(EVAL_COUNT2) $(EVAL_DIR)
	./bin/dossier gen --style 3 --seed $(EVAL_SEED) --only $(PAPER_FORMS) --count $(EVAL_COUNT3) $(EVAL_DIR)
	./bin/dossier eval $(EVAL_DIR)

eval-fast: EVAL_COUNT = 144
eval-fast: EVAL_COUNT2 = 72
eval-fast: EVAL_COUNT3 = 12
eval-fast: eval
