/// The themes compiled into Till, so it always starts: `default` (also in
/// themes/default.toml) and `monochrome`, the fallback for terminals without colour.
public enum BuiltInThemes {
    public static let defaultText = """
        # Till's default theme: dark background, cyan status line.
        name = "default"

        [normal]
        fg = "default"
        bg = "default"

        [status_line]
        fg = "black"
        bg = "cyan"

        [pane_border]
        fg = "blue"

        [focused_border]
        fg = "bright-yellow"
        attrs = ["bold"]

        [title]
        fg = "cyan"

        [focused_title]
        fg = "black"
        bg = "yellow"
        attrs = ["bold"]

        [selection]
        fg = "black"
        bg = "cyan"

        [input]
        fg = "bright-white"
        bg = "blue"

        [warning]
        fg = "yellow"
        attrs = ["bold"]

        [error]
        fg = "bright-white"
        bg = "red"
        attrs = ["bold"]

        [money_positive]
        fg = "green"

        [money_negative]
        fg = "red"

        [fkey_number]
        fg = "white"
        bg = "default"

        [fkey_label]
        fg = "black"
        bg = "cyan"

        [dim]
        fg = "bright-black"

        """

    public static let monochromeText = """
        # Till's monochrome theme: no colour at all, attributes only.
        name = "monochrome"

        [status_line]
        attrs = ["reverse"]

        [focused_border]
        attrs = ["bold"]

        [focused_title]
        attrs = ["reverse", "bold"]

        [selection]
        attrs = ["reverse"]

        [input]
        attrs = ["underline"]

        [warning]
        attrs = ["bold"]

        [error]
        attrs = ["reverse", "bold"]

        [money_negative]
        attrs = ["bold"]

        [fkey_label]
        attrs = ["reverse"]

        [dim]
        attrs = ["dim"]

        """

    public static var standard: Theme { try! ThemeFile.parse(defaultText, file: "default (built in)") }
    public static var monochrome: Theme { try! ThemeFile.parse(monochromeText, file: "monochrome (built in)") }
}
