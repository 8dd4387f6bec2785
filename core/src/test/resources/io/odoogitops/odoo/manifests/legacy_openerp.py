# -*- encoding: utf-8 -*-
{
    u'name': u'Legacy \u00e9l\xe8ve',
    'version': '8.0.1.0.0',
    'author': r'C:\odoo\raw',
    'depends': ('base', 'mail',),
    'sequence': -10,
    'price': 12.50,
    'currency': 'EUR',
    'images': {'static/description/banner.png'},
    'blob': b'\x00ascii',
    'installable': False,
    'active': False,
    'hex': 0xFF, 'octal': 0o17, 'big': 1_000_000, 'exp': 1e-3,
    'nothing': None,
}
