from . import test_website_stock_display
from . import test_website_stock_tour
from . import test_website_cart_probe
