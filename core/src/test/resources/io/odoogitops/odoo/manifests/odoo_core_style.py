# -*- coding: utf-8 -*-
# Part of Odoo. See LICENSE file for full copyright and licensing details.


{
    'name': 'Sales',
    'version': '1.2',
    'category': 'Sales/Sales',
    'summary': 'Sales internal machinery',
    'description': """
This module contains all the common features of Sales Management and eCommerce.
=================================================================================

    * Quotations with "double" and 'single' quotes inside
    * A backslash \\ and a tab\tescape
""",
    'depends': ['sales_team', 'account_payment', 'utm'],
    'data': [
        'security/ir.model.access.csv',
        'views/sale_order_views.xml',
    ],
    'demo': ['data/sale_demo.xml'],
    'installable': True,
    'auto_install': ['account_payment'],
    'application': False,
    'assets': {
        'web.assets_backend': [
            'sale/static/src/scss/sale_onboarding.scss',
            'sale/static/src/js/**/*',
            ('remove', 'sale/static/src/js/legacy/**/*'),
        ],
        'web.assets_tests': [
            'sale/static/tests/tours/**/*',
        ],
    },
    'post_init_hook': '_synchronize_cron',
    'license': 'LGPL-3',
}
