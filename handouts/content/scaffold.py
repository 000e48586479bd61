"""A new topic, scaffolded: `python build.py new topic ID --title "..."`.

Writes the topic with its three tiers, the universal shared blocks it needs (when to
get help, who to call, Ask Me 3) where the library lacks them, and a stub for each of
its own blocks. Every stub holds placeholder text in [[double brackets]], which check
refuses (checks/workflow.py), so a scaffold can never be printed as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import is_id

# The topic's own blocks, by tier: (suffix, kind, title, what to write).
OWN = {
    "what-it-is": ("text", "What is it? (for example: What is nitrous oxide?)",
                   "What it is and what it is for, whether the FDA has approved it for this use, and who it may "
                   "help. Short sentences, everyday words."),
    "main-risks": ("list", "The main risks", "The main risks in plain words, one per line starting '- '."),
    "before": ("list", "Before", "What to do before: what to tell the care team, what to bring, who drives you "
               "home if needed. One per line starting '- '."),
    "during": ("text", "During", "What happens and what it feels like; what staff check."),
    "after": ("list", "After", "What to do and avoid afterwards, and for how long. One per line starting '- '."),
    "side-effects": ("list", "Common side effects", "Common side effects, with how often they happen as "
                     "'about N in 10' where the source gives it. One per line starting '- '."),
    "who-should-not": ("list", "Who should not have it", "Who should not have it, pregnancy and breastfeeding. "
                       "One per line starting '- '."),
}
TIERS = {
    "overview": ["what-it-is", "main-risks", "=when-to-get-help", "=ask-me-3"],
    "expectations": ["before", "during", "after", "=when-to-get-help"],
    "risks": ["side-effects", "who-should-not", "=call-your-clinic", "=when-to-get-help"],
}
# The universal blocks every topic uses, written only where the library has none yet.
SHARED = {
    "when-to-get-help": "title: Get help right away\nkind: urgent\nbody: |\n  Call 911 if [[the emergency signs: "
                        "someone cannot be woken up, has trouble breathing, ...]].\nsources: []   # ids from "
                        "content/sources.yaml\n",
    "call-your-clinic": "title: When to call your clinic\nkind: contact\nbody: |\n  Call your clinic if [[the "
                        "problems to call about]].\nsources: []   # ids from content/sources.yaml\n",
    "ask-me-3": "title: Questions to ask your care team\nkind: questions\nbody: |\n  - What is my main problem?\n"
                "  - What do I need to do?\n  - Why is it important for me to do this?\nsources: []\n",
}


class ScaffoldError(Exception):
    """The topic cannot be scaffolded here (a usage error)."""


def new_topic(root: Path, topic_id: str, title: str) -> list[Path]:
    """Write the scaffold of a topic into the content folder `root`; the files written, in order."""
    if not is_id(topic_id):
        raise ScaffoldError(f"'{topic_id}' is not a plain id: use lowercase letters, digits and hyphens")
    if not title.strip():
        raise ScaffoldError('give the topic a title: --title "..."')
    if not (root / "topics").is_dir() or not (root / "blocks").is_dir():
        raise ScaffoldError(f"{root} is not a content folder (no topics/ and blocks/); pass --content DIR")
    files = {root / "topics" / f"{topic_id}.yaml": _topic(topic_id, title)}
    for suffix, (kind, heading, what) in OWN.items():
        files[root / "blocks" / f"{topic_id}-{suffix}.yaml"] = (
            f"title: {json.dumps('[[' + heading + ']]', ensure_ascii=False)}\nkind: {kind}\nbody: |\n  [[{what}]]\n"
            "sources: []   # ids from content/sources.yaml: every fact needs its source\n")
    taken = [p for p in files if p.exists()]
    if taken:
        raise ScaffoldError(f"{taken[0]} already exists; choose another id or delete the old files")
    for block_id, text in SHARED.items():
        path = root / "blocks" / f"{block_id}.yaml"
        if not path.exists():
            files[path] = text
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def _topic(topic_id: str, title: str) -> str:
    tiers = "".join(f"  {tier}:\n" + "".join(f"    - {b[1:] if b.startswith('=') else f'{topic_id}-{b}'}\n"
                                              for b in blocks) for tier, blocks in TIERS.items())
    return (f"title: {json.dumps(title.strip(), ensure_ascii=False)}\n"
            "summary: \"[[One sentence: what these handouts help the reader with.]]\"\n"
            "# Which editorial rules apply besides the universal ones (911, who to call, Ask Me 3): the tags\n"
            "# used in content/editorial/required.yaml, e.g. [medicine, sedation, procedure].\n"
            "tags: []\n"
            "# The languages it is printed in; add es when content/es/ holds its translation.\n"
            "languages: [en]\n"
            "# A tagged rule that does not fit this topic: its name and the reason.\n"
            "# exemptions:\n"
            "#   \"arrange a ride home\": the reason it does not apply\n"
            "review:\n  status: draft\n  reviewed_by: \"\"\n  reviewed_on: null\n  next_review: null\n"
            f"handouts:\n{tiers}")
