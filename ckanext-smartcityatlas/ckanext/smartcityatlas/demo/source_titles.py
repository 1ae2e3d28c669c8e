# SPDX-License-Identifier: AGPL-3.0-or-later
"""Titles of the documents the Dresden demo entries cite in ``record_source``
by the file name they have in the project's seed folder (the demo's
actors.yaml names them). The loader puts the title in place of the file
name, so entry pages name a document, not "002_97147b5af67b0fc4.txt"."""

TITLES = {
    "000_267f8160f306e849.txt": "Förderantrag Modellprojekte Smart Cities (2021)",
    "001_98dd353b5dcf5f98.txt": "Smart-City-Strategie, Kurzfassung (2023)",
    "002_97147b5af67b0fc4.txt": "Stadtratsvorlage V0870/21 mit Smart City Charta",
    "003_c817ea92a35cd33c.txt": "Sachstandsbericht an den Stadtrat (Januar 2025)",
    "004_db4dd811c77a2f8b.txt": "Deckblatt der Stadtratsvorlage V0870/21",
}


def readable(text: str) -> str:
    for file_name, title in TITLES.items():
        text = text.replace(file_name, title)
    return text
