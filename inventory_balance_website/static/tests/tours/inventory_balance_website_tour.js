import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * Hidden stock mode, in a real browser: the grid, the product page, variant
 * switching and the cart show labels and never a quantity.
 * Variants of "Label Test Chair": Red 20 (In stock), Blue 3 (Low in stock),
 * Green only damaged stock (Out of stock); threshold 5, so a cart holds at
 * most 50 of a variant.
 */
function assertNoDigits(selector) {
    return {
        content: `No figure in ${selector}`,
        trigger: selector,
        run() {
            for (const el of document.querySelectorAll(selector)) {
                if (/\d/.test(el.textContent)) {
                    throw new Error(`A figure leaked in ${selector}: ${el.textContent}`);
                }
            }
        },
    };
}

/** One stock label on the whole page (not a badge and a second one). */
function assertOneLabel(text) {
    return {
        content: `One label on the page: ${text}`,
        trigger: `.js_main_product .o_inventory_stock_label:contains(${text})`,
        run() {
            const labels = [...document.querySelectorAll(".o_inventory_stock_label")];
            const texts = [...document.querySelectorAll("body *")].filter(
                (el) =>
                    !el.children.length &&
                    /^(In stock|Low in stock|Out of stock)$/.test(el.textContent.trim())
            );
            if (labels.length !== 1 || texts.length !== 1) {
                throw new Error(
                    `${labels.length} labels and ${texts.length} stock texts on the page`
                );
            }
        },
    };
}

registry.category("web_tour.tours").add("inventory_balance_website_hidden_stock", {
    url: "/shop?search=Label Test Chair",
    steps: () => [
        {
            content: "The tile of the grid shows a label",
            trigger: ".oe_product_cart:contains(Label Test Chair) .o_inventory_stock_label",
        },
        {
            content: "Open the product page",
            trigger: ".oe_product_cart a:text(Label Test Chair)",
            run: "click",
            expectUnloadPage: true,
        },
        tourUtils.waitForInteractionToLoad(),
        {
            content: "Red: In stock",
            trigger: "input[data-attribute-name='Color'][data-value-name='Red']:checked",
        },
        {
            content: "Red is in stock",
            trigger: ".js_main_product .availability_messages .o_inventory_stock_in:contains(In stock)",
        },
        assertNoDigits(".js_main_product .availability_messages"),
        assertOneLabel("In stock"),
        {
            content: "Switch to Blue",
            trigger: "input[data-attribute-name='Color'][data-value-name='Blue']",
            run: "click",
        },
        {
            content: "Blue is low in stock",
            trigger: ".js_main_product .availability_messages .o_inventory_stock_low:contains(Low in stock)",
        },
        assertNoDigits(".js_main_product .availability_messages"),
        assertOneLabel("Low in stock"),
        {
            content: "The quantity input's maximum is the cart limit (10 x 5), not the stock",
            trigger: ".js_main_product input[name='add_qty'][data-max='50']",
        },
        {
            content: "Switch to Green",
            trigger: "input[data-attribute-name='Color'][data-value-name='Green']",
            run: "click",
        },
        {
            content: "Green (only damaged stock) is out of stock, no add to cart",
            trigger: ".js_main_product .availability_messages .o_inventory_stock_out:contains(Out of stock)",
        },
        {
            content: "With the wishlist installed, it can be saved for later",
            trigger: ".js_main_product .availability_messages .o_inventory_stock_out",
            run() {
                if (
                    document.querySelector(".o_add_wishlist_dyn") &&
                    !document.querySelector("#stock_wishlist_message")
                ) {
                    throw new Error("No wishlist message for an out-of-stock product");
                }
            },
        },
        {
            content: "The add-to-cart button is hidden",
            trigger: "#o_wsale_cta_wrapper.out_of_stock:not(:visible)",
        },
        {
            content: "Back to Blue",
            trigger: "input[data-attribute-name='Color'][data-value-name='Blue']",
            run: "click",
        },
        {
            content: "Blue is low in stock again",
            trigger: ".js_main_product .availability_messages .o_inventory_stock_low",
        },
        {
            content: "Add Blue to the cart",
            trigger: "#add_to_cart:visible",
            run: "click",
        },
        tourUtils.goToCart({ quantity: 1 }),
        ...tourUtils.assertCartContains({ productName: "Label Test Chair" }),
        {
            content: "The cart line shows the label",
            trigger: "#cart_products .o_inventory_stock_low:contains(Low in stock)",
        },
        {
            content: "The cart line's maximum is the cart limit, not the stock",
            trigger: "#cart_products input.js_quantity[data-max='50']",
        },
        assertNoDigits("#cart_products .availability_messages"),
    ],
});
