#ifndef X_keys_H
#define X_keys_H
#endif
