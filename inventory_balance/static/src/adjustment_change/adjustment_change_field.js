import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

/**
 * The Change of an adjustment line: the number field with a minus and a plus
 * button on either side (one unit each). Typing still works as in any number
 * field (saved with the line, as before); from the keyboard, Arrow Up and
 * Arrow Down add and remove one while the field has the focus. The buttons
 * are left out of the Tab order, so Tab still goes from cell to cell.
 */
export class AdjustmentChangeField extends FloatField {
    static template = "inventory_balance.AdjustmentChangeField";

    get minusTitle() {
        return _t("Remove one (Arrow Down)");
    }

    get plusTitle() {
        return _t("Add one (Arrow Up)");
    }

    /** The value typed so far (not yet saved) or the record's. */
    currentValue() {
        const input = this.inputRef.el;
        if (input && input.value.trim() !== "") {
            try {
                const typed = this.parse(input.value);
                if (Number.isFinite(typed)) {
                    return typed;
                }
            } catch {
                // not a number (yet): the saved value
            }
        }
        return this.props.record.data[this.props.name] || 0;
    }

    async step(delta) {
        const value = Math.round((this.currentValue() + delta) * 1e6) / 1e6;
        await this.props.record.update({ [this.props.name]: value });
        if (this.inputRef.el) {
            this.inputRef.el.value = this.formattedValue;
        }
    }

    onKeydown(ev) {
        if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) {
            return;
        }
        if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
            ev.preventDefault();
            ev.stopPropagation();
            this.step(ev.key === "ArrowUp" ? 1 : -1);
        }
    }
}

export const adjustmentChangeField = {
    ...floatField,
    component: AdjustmentChangeField,
    displayName: _t("Change with - and + buttons"),
};

registry.category("fields").add("inventory_adjustment_change", adjustmentChangeField);
