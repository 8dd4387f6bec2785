# Copyright 2017 LasLabs Inc.
# Copyright 2018 ACSONE SA/NV.
# License LGPL-3.0 or later (http://www.gnu.org/licenses/lgpl).

{
    "name": "Module Auto Update",
    "summary": "Automatically update Odoo modules",
    "version": "17.0.1.0.3",
    "category": "Extra Tools",
    "website": "https://github.com/OCA/server-tools",
    "author": "LasLabs, "
    "Juan José Scarafía, "
    "Tecnativa, "
    "ACSONE SA/NV, "
    "Odoo Community Association (OCA)",
    "license": "LGPL-3",
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": ["base"],
    "post_load": "post_load",
    "external_dependencies": {
        "python": [
            "checksumdir",
            "requests>=2.0",
        ],
        "bin": ["wkhtmltopdf"],
    },
    "data": [
        "views/module_views.xml",  # the list view
        "data/cron_data.xml",
    ],
}
