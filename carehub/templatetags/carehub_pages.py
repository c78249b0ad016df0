"""Template filters for list pages."""

from django import template

register = template.Library()


@register.filter
def page_numbers(page):
    """The page numbers to link to around ``page``: the first and last two, two either side
    of the current one, and the paginator's ellipsis for each gap."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=2)
