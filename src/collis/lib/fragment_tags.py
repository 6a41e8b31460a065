"""``{% publiccache "name" [vary ...] %}...{% endpubliccache %}``: see collis.lib.fragments.

Registered as the template library ``publiccache`` (settings.TEMPLATES ``libraries``).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from collis.lib.fragments import cached_fragment

register = template.Library()


class PublicCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        vary = tuple(v.resolve(context) for v in self.vary)
        return cached_fragment(
            context.get("request"), self.name, vary, lambda: self.nodelist.render(context)
        )


@register.tag("publiccache")
def publiccache(parser: Parser, token: Token) -> PublicCacheNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% publiccache "name" [vary ...] %}')
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return PublicCacheNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
