"""The portal's own date formats where Django's locale differs from usage
(``FORMAT_MODULE_PATH``); every other format is Django's."""
