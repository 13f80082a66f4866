import { markup } from "@odoo/owl";
import { setElementContent } from "@web/core/utils/html";
import { patch } from "@web/core/utils/patch";
import { getTemplate } from "@web/core/templates";
import { renderToElement, renderToFragment } from "@web/core/utils/render";
import { WebsiteSale } from "@website_sale/interactions/website_sale";

/**
 * Hidden stock mode ("In stock / Low in stock"): the combination info carries
 * a stock state and its label instead of quantities. Show the label, keep the
 * add-to-cart button unless the product is out of stock and may not be sold
 * then, and set no maximum on the quantity input (the cart refuses what is not
 * available). Exact mode: website_sale_stock's own behaviour.
 *
 * When website_sale_stock_wishlist is installed, an out-of-stock product that
 * may not be sold still offers "Add to wishlist", as it does in exact mode.
 */
const WISHLIST_TEMPLATE = "website_sale_stock_wishlist.product_availability";

patch(WebsiteSale.prototype, {
    _onChangeCombinationStock(ev, parent, combination) {
        if (combination.inventory_stock_display !== "label") {
            return super._onChangeCombinationStock(...arguments);
        }
        if (!parent.matches(".js_main_product") || !combination.product_id) {
            return;
        }
        const addQtyInput = parent.querySelector('input[name="add_qty"]');
        if (addQtyInput) {
            // The cart's limit, a setting of the website (never the stock).
            if (combination.inventory_cart_max_qty) {
                addQtyInput.dataset.max = combination.inventory_cart_max_qty;
            } else {
                delete addQtyInput.dataset.max;
            }
        }
        const ctaWrapper = parent.querySelector("#o_wsale_cta_wrapper");
        if (ctaWrapper) {
            ctaWrapper.classList.replace("d-none", "d-flex");
            ctaWrapper.classList.remove("out_of_stock");
            if (
                combination.inventory_stock_state === "out" &&
                !combination.allow_out_of_stock_order
            ) {
                ctaWrapper.classList.replace("d-flex", "d-none");
                ctaWrapper.classList.add("out_of_stock");
            }
        }
        // One label: the one rendered by the server (or for the previous
        // variant) goes before the new one is added.
        const messagesEl = this.el.querySelector("div.availability_messages");
        const previous = new Set([
            ...document.querySelectorAll(
                ".availability_message_" + combination.product_template
            ),
            ...messagesEl.querySelectorAll(
                "#inventory_stock_availability, #stock_wishlist_message"
            ),
        ]);
        previous.forEach((el) => el.remove());
        if (combination.out_of_stock_message) {
            combination.out_of_stock_message = markup(combination.out_of_stock_message);
            const outOfStockMessage = document.createElement("div");
            setElementContent(outOfStockMessage, combination.out_of_stock_message);
            combination.has_out_of_stock_message = !!outOfStockMessage.textContent.trim();
        }
        messagesEl.append(
            renderToFragment("inventory_balance_website.product_availability", combination)
        );
        if (
            combination.inventory_stock_state === "out" &&
            this.el.querySelector(".o_add_wishlist_dyn") &&
            !this.el.querySelector("#stock_wishlist_message") &&
            getTemplate(WISHLIST_TEMPLATE)
        ) {
            // That template shows itself when there is no free quantity.
            messagesEl.append(
                renderToElement(WISHLIST_TEMPLATE, { ...combination, free_qty: 0 }) || ""
            );
        }
    },
});
