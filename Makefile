# make lint       ruff check, ruff format --check, pylint-odoo (mandatory checks)
# make lint-advisory  pylint-odoo's advisory checks and the OCA XML/CSV checks (report only)
# make lint-install   install the linters of requirements-lint.txt
# make test       THE test command (scripts/test.sh)
# make run        THE setup-and-run command (scripts/run.sh)
# make pot        export every addon's i18n/<addon>.pot (scripts/export_pot.py)

PYTHON ?= $(shell if [ -x .venv/bin/python ]; then echo .venv/bin/python; else echo python3; fi)
ADDONS := $(sort $(patsubst %/__manifest__.py,%,$(wildcard */__manifest__.py)))

.PHONY: lint lint-advisory lint-install test run pot

lint:
	@status=0; \
	echo "== ruff check"; $(PYTHON) -m ruff check --no-fix . || status=1; \
	echo "== ruff format --check"; $(PYTHON) -m ruff format --check . || status=1; \
	echo "== pylint --rcfile=.pylintrc-mandatory $(ADDONS)"; \
	$(PYTHON) -m pylint --rcfile=.pylintrc-mandatory $(ADDONS) || status=1; \
	if [ $$status = 0 ]; then echo "lint: OK"; else echo "lint: FAILED"; fi; \
	exit $$status

lint-advisory:
	-$(PYTHON) -m pylint --rcfile=.pylintrc --exit-zero $(ADDONS)
	-oca-checks-odoo-module --no-exit $(ADDONS)

lint-install:
	$(PYTHON) -m pip install -r requirements-lint.txt

test:
	bash scripts/test.sh

run:
	bash scripts/run.sh

pot:
	$(PYTHON) scripts/export_pot.py
