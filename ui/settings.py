"""Per-user settings in a JSON file under platformdirs' config folder.

Recent projects, the annotator's name, and each project's view state (panes
and scroll positions). Plain JSON, never pickled; a damaged file is set aside
and replaced by defaults rather than stopping the app.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_data_path

MAX_RECENT = 10


def config_file() -> Path:
    return user_config_path("parallax", appauthor=False) / "settings.json"


def data_folder() -> Path:
    return user_data_path("parallax", appauthor=False)


class UserSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_file()
        self._data: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            self.path.replace(self.path.with_suffix(".damaged.json"))
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self._data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)

    @property
    def annotator(self) -> str:
        return str(self._data.get("annotator", ""))

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._data["annotator"] = name
        self._save()

    def recent_projects(self) -> list[Path]:
        return [Path(p) for p in self._data.get("recent", []) if isinstance(p, str)]

    def add_recent(self, path: Path) -> None:
        entry = str(path.absolute())
        recent = [p for p in self._data.get("recent", []) if p != entry]
        self._data["recent"] = [entry, *recent][:MAX_RECENT]
        self._save()

    def view_state(self, project: Path) -> dict[str, Any]:
        state = self._data.get("views", {}).get(str(project.absolute()), {})
        return state if isinstance(state, dict) else {}

    def set_view_state(self, project: Path, state: dict[str, Any]) -> None:
        self._data.setdefault("views", {})[str(project.absolute())] = state
        self._save()

    def value(self, key: str, default: Any = None) -> Any:
        return self._data.get("prefs", {}).get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._data.setdefault("prefs", {})[key] = value
        self._save()
