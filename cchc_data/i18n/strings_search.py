"""The one accent-insensitive unit search shared by every unit picker (cchc_data/ui/search.py)."""

STRINGS = {
    "vi": {
        "search.box": "Tìm đơn vị (không cần dấu)",
        "search.box_compare": "Tìm để thêm đơn vị (không cần dấu)",
        "search.help": "Gõ tên, tên cũ, tên viết tắt (hcm, so tu phap) hoặc tên tỉnh/thành phố trực thuộc; không cần dấu. "
        "Đơn vị khớp đầu tiên được chọn, các đơn vị khác có trong danh sách bên cạnh.",
        "search.help_compare": "Gõ tên, tên cũ, tên viết tắt (hcm, da nang) hoặc tên tỉnh/thành phố trực thuộc; không cần dấu, "
        "rồi bấm vào đơn vị để thêm.",
        "search.add": "Thêm {unit}",
        "search.none": "Không có đơn vị nào trong danh sách này khớp với “{query}”.",
        "search.count": "{n} đơn vị khớp với “{query}”.",
        "search.count_one": "1 đơn vị khớp với “{query}”.",
        "search.more": "{n} đơn vị khớp với “{query}”; chỉ hiện {limit} đơn vị đầu tiên, hãy gõ thêm để thu hẹp.",
        "search.full": "Đã chọn đủ {max} đơn vị: bỏ bớt một đơn vị để thêm đơn vị khác.",
    },
    "en": {
        "search.box": "Find a unit (accents optional)",
        "search.box_compare": "Find a unit to add (accents optional)",
        "search.help": "Type a name, former name, abbreviation (hcm, so tu phap) or the name of the province it belongs to; "
        "accents are optional. The first match is picked; the others are in the list beside.",
        "search.help_compare": "Type a name, former name, abbreviation (hcm, da nang) or the name of the province it belongs "
        "to; accents are optional. Then click a unit to add it.",
        "search.add": "Add {unit}",
        "search.none": "No unit in this list matches “{query}”.",
        "search.count": "{n} units match “{query}”.",
        "search.count_one": "1 unit matches “{query}”.",
        "search.more": "{n} units match “{query}”; only the first {limit} are shown, type more to narrow it.",
        "search.full": "{max} units are already picked: remove one to add another.",
    },
}
